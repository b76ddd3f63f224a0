"""The interface in the page's language: message catalogues (Babel's .po files) for Jinja's
i18n extension.

A catalogue is ``locales/<locale>/LC_MESSAGES/messages.po`` inside a templates folder: Dossier's
own theme ships English and Ukrainian, and a site adds a language, or rewords a message, with
the same file in its own ``templates/locales/``, which wins message by message. The .po files
are read as they are (no compiled .mo to keep in step); ``pybabel compile`` checks them.

Where the strings come from: ``pybabel extract -F dossier/theme/locales/babel.cfg`` reads the
templates (Jinja's extractor) and the views' Python (``_()``/``N_()`` marks), see docs/languages.md.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from dossier.content import THEME
from dossier.errors import Problem

DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    """Marks a string of Python code for extraction; it is translated where it is shown."""
    return message


def locale_folders(language: str) -> list[str]:
    """Folders to look in for a BCP 47 tag, most specific first: en-GB → en_GB, en."""
    parsed = Locale.parse(language.replace("-", "_"))
    names = [str(parsed)]
    if parsed.territory or parsed.script or parsed.variant:
        names.append(parsed.language)
    return names


def catalogue_paths(template_dirs: list[Path], language: str) -> list[Path]:
    """Every catalogue for ``language``, the site's first: the first one with a message wins."""
    out = []
    for folder in locale_folders(language):
        for d in template_dirs:
            path = d / "locales" / folder / "LC_MESSAGES" / f"{DOMAIN}.po"
            if path.is_file():
                out.append(path)
    return out


def load_translations(
    template_dirs: list[Path], language: str
) -> tuple[NullTranslations, list[Problem]]:
    """The merged catalogues of ``language`` as gettext translations, and what is wrong in them.

    A language with no catalogue at all gets the messages as written (English)."""
    paths = catalogue_paths(template_dirs, language)
    return _load(tuple(paths), tuple(p.stat().st_mtime_ns for p in paths), language)


@functools.lru_cache(maxsize=16)
def _load(
    paths: tuple[Path, ...], mtimes: tuple[int, ...], language: str
) -> tuple[NullTranslations, list[Problem]]:
    problems: list[Problem] = []
    if not paths:
        return NullTranslations(), problems
    # the plural rule is the locale's, from CLDR (Ukrainian: three forms)
    merged = Catalog(locale=language.replace("-", "_"), domain=DOMAIN)
    for path in reversed(paths):  # the theme's first, then the site's over it
        try:
            with path.open("rb") as fh:
                catalogue = read_po(fh, locale=language.replace("-", "_"), abort_invalid=True)
        except (PoFileError, UnicodeDecodeError, ValueError) as exc:
            problems.append(
                Problem(
                    _shown(path),
                    _line(exc),
                    "catalogue",
                    f"cannot read this message catalogue: {exc}",
                    "check it with `pybabel compile -d <locales folder> --statistics`",
                )
            )
            continue
        for message in catalogue:
            if message.id and message.string and not message.fuzzy:
                merged[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN), problems


def _line(exc: Exception) -> int | None:
    """Babel counts a catalogue's lines from 0."""
    line = getattr(exc, "lineno", None)
    return line + 1 if isinstance(line, int) and line > 0 else None


def _shown(path: Path) -> str:
    """A catalogue's path as an author finds it: the site's from the project, the theme's
    from Dossier's own folder."""
    parts = path.parts
    cut = len(parts) - 1 - parts[::-1].index("templates")
    if path.is_relative_to(THEME):
        return str(path.relative_to(THEME.parent.parent))
    return "/".join(parts[cut:])
