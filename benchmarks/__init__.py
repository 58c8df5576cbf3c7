"""Benchmarks, each printing its figures beside a baseline measured in the same run.

Run them as modules from the repository's root (`python -m benchmarks.city`): `benchmarks/http.py`
bears the standard library's name `http`, so this folder must not be first on the import path.
"""
