"""``Page``: one output file, what draws it and what it shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from dossier.briefing import Briefing


@dataclass(frozen=True, slots=True)
class Page:
    """One output file: where it goes, which template draws it, and what it shows."""

    path: str
    template: str
    title: str
    briefing: Briefing | None = None
    items: tuple[Any, ...] = ()
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    body: bytes | None = None  # machine files (feeds, csv, ics, sitemap) made in Python
    # the language the page is in, on a site of several ("" on a site of one)
    lang: str = ""
    # the page in every language it exists in, itself too: (language, url path), for
    # hreflang and the language switcher (empty when it has no translation)
    alternates: tuple[tuple[str, str], ...] = ()

    @property
    def is_html(self) -> bool:
        return self.body is None and self.path.endswith(".html")

    @property
    def url_path(self) -> str:
        return self.path.removesuffix("index.html")
