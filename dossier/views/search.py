"""Search: Pagefind indexes the finished staging folder before it is swapped in.

Only briefing articles (``data-pagefind-body``) are indexed; tag, donor and year
are Pagefind filters set in templates/briefing.html. Pagefind runs offline from
the ``pagefind_bin`` wheel, so a site is never published without its index.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dossier.errors import DossierError, Problem

TIMEOUT_SECONDS = 600
# Only briefing pages carry data-pagefind-body; telling Pagefind so skips parsing
# the other pages (about 20% of its time on a 1,000-briefing site).
SEARCHED_PAGES = "briefings/**/*.html"
# Pagefind refuses to write a bundle with nothing to index; a site with no briefings
# yet indexes its home page instead, so /search/ never links to missing files.
EMPTY_SITE_PAGES = "index.html"


def index_search(site_dir: Path) -> None:
    """Write ``site_dir/pagefind/``; a failure stops the build before the swap."""
    cmd = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--glob",
        SEARCHED_PAGES if any((site_dir / "briefings").glob("*/*.html")) else EMPTY_SITE_PAGES,
        "--silent",
    ]
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DossierError([_problem(f"could not run Pagefind: {exc}")]) from None
    if run.returncode != 0:
        detail = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["no output"]
        raise DossierError([_problem(f"Pagefind failed: {detail[0]}")])


def _problem(message: str) -> Problem:
    return Problem(
        "pagefind",
        None,
        "",
        message,
        "check that pagefind[bin] is installed: pip install pagefind[bin]",
    )
