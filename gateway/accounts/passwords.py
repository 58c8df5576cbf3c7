"""Passwords: argon2id hashes (argon2-cffi) and the policy GB/T 22239-2019 level 3 asks for.

The policy: at least 10 characters, from at least three of the four classes (upper case, lower
case, digits, symbols), not containing the username, and none of the person's last five.
"""

from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
MAX_LENGTH = 128
HISTORY = 5

_HASHER = PasswordHasher()  # argon2id with the library's recommended costs
# Verified when the username is unknown, so an unknown user and a wrong password take as long.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """An argon2id hash of `password` (blocking, ~50 ms: run it in a thread)."""
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; an absent hash costs the same time and says no."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def classes_in(password: str) -> int:
    """How many of the four character classes `password` uses."""
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


def policy_problems(password: str, username: str) -> list[str]:
    """What is wrong with `password` for `username` (empty when it may be used)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters long")
    if len(password) > MAX_LENGTH:
        problems.append(f"must be at most {MAX_LENGTH} characters long")
    if classes_in(password) < 3:
        problems.append(
            "must use at least three of: upper case, lower case, digits, other characters"
        )
    if username and username.lower() in password.lower():
        problems.append("must not contain the username")
    return problems


def reused(password: str, earlier_hashes: list[str]) -> bool:
    """Whether `password` is one of the earlier ones (blocking: one verify per hash)."""
    return any(verify_password(h, password) for h in earlier_hashes)


_ALPHABET = string.ascii_letters + string.digits + "!@#%&*-_=+?"


def generate_password(length: int = 16) -> str:
    """A random password that meets the policy (shown once, to be changed at first use)."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if classes_in(candidate) == 4:
            return candidate
