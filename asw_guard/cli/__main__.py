"""`python -m asw_guard.cli`, the same as the `asw-guard` command."""

from asw_guard.cli import main

main()
