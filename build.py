#!/usr/bin/env python3
"""Dossier's entry point: `python build.py [build|check|serve|import|new] --help`."""

import sys

from dossier.cli import main

if __name__ == "__main__":
    sys.exit(main())
