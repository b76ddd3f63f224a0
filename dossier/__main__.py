"""`python -m dossier`: the same commands as the `dossier` script and `python build.py`."""

import sys

from dossier.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="dossier"))
