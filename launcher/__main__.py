"""`python -m launcher …` is the same as the `sbe` command."""

from launcher.cli import main

main()
