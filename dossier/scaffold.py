"""`dossier init DIR`: a ready site of one's own, from the starter in ``theme/site/``.

The starter is package data, so a wheel carries it; files whose names start with a dot
(``.gitignore``, ``.github/``, ``.gitlab-ci.yml``, ``.vscode/``) are stored without it,
because package-data globs skip hidden files. Nothing is ever overwritten: the folder
must be empty (or not exist yet), and each file is created exclusively.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dossier import __version__
from dossier.content import THEME
from dossier.errors import DossierError, Problem
from dossier.jsonschema import write_schemas

STARTER = THEME / "site"
HIDDEN = ("gitignore", "gitlab-ci.yml", "github", "vscode")  # written as .gitignore, …


def _refuse(folder: Path, message: str, hint: str) -> DossierError:
    return DossierError([Problem(str(folder), None, "", message, hint)])


def starter_files() -> dict[str, bytes]:
    """Each file of the starter site by its path in the new site."""
    files: dict[str, bytes] = {}
    for path in sorted(STARTER.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(STARTER).as_posix()
        if rel.split("/")[0] in HIDDEN:
            rel = "." + rel
        files[rel] = path.read_bytes()
    return files


def title_for(folder: Path) -> str:
    words = folder.resolve().name.replace("-", " ").replace("_", " ").split()
    return " ".join(w[:1].upper() + w[1:] for w in words) or "Briefings"


def write_site(folder: Path, title: str | None = None) -> list[Path]:
    """Write the starter into ``folder``; returns the files written."""
    if folder.exists() and not folder.is_dir():
        raise _refuse(folder, "exists and is not a folder", "choose a new folder's name")
    if folder.is_dir() and any(folder.iterdir()):
        raise _refuse(
            folder,
            "is not empty; `dossier init` writes only into an empty or new folder",
            "choose a new folder, e.g. `dossier init my-briefings`",
        )
    name = title or title_for(folder)
    if any(ch in name for ch in '"\\\n\r') or not name.strip():
        raise _refuse(folder, f"the title {name!r} cannot be written as is", "pass --title TEXT")
    values = {"@@TITLE@@": name.strip(), "@@VERSION@@": __version__}
    values["@@TODAY@@"] = dt.date.today().isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for rel, data in starter_files().items():
        text = data.decode("utf-8")
        for key, value in values.items():
            text = text.replace(key, value)
        written.append(_create(folder / rel, text.encode("utf-8")))
    written += write_schemas(folder / "schemas")
    return written


def _create(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as f:  # never over an existing file
        f.write(data)
    return path
