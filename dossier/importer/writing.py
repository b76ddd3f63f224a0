"""Writing a draft into content/briefings/ safely: never outside, never over, never partial."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{i}" for d in ("com", "lpt") for i in range(10)}


class DraftExists(Exception):
    """The target file exists; the message suggests another slug."""


def check_slug(slug: str) -> str:
    """The reason a slug is refused, or "" when it is fine.

    Only ``[a-z0-9-]`` is allowed, which rules out every way of leaving the
    folder: ``..``, ``/``, ``\\``, ``%2e``, NUL and absolute paths alike.
    """
    if not SLUG.fullmatch(slug):
        return "use lowercase letters, digits and hyphens only, starting with a letter or digit"
    if slug in RESERVED:
        return f"{slug!r} is a reserved name"
    return ""


def briefing_path(project: Path, slug: str) -> Path:
    return project / "content" / "briefings" / f"{slug}.md"


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text`` in one step, refusing to replace an existing file.

    The text goes to a temporary file in the same folder, is flushed to disk,
    then hard-linked to its name: the link either appears complete or not at
    all, and fails if the name is taken.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".import-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError as exc:
            raise DraftExists(str(path)) from exc
        except OSError:
            _write_exclusive(path, text)  # filesystems without hard links
    finally:
        Path(tmp).unlink(missing_ok=True)


def _write_exclusive(path: Path, text: str) -> None:
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError as exc:
        raise DraftExists(str(path)) from exc
    except BaseException:
        path.unlink(missing_ok=True)
        raise
