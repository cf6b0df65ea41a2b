"""Run the command-line interface as ``python -m localize``."""

from localize.cli import main

main()
