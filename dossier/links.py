"""The site's own links: every body link to a page of the site names a page the build
plans, and an anchor an id that page really has; and the files published beside the
pages (the media folder's, and each briefing's own)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from dossier.briefing import Briefing
from dossier.config import SiteConfig
from dossier.content import tree_signatures
from dossier.errors import Problem
from dossier.page import Page
from dossier.site import Site


def media_files(project: Path, config: SiteConfig, site: Site) -> dict[str, Path]:
    """Files published beside the pages: the media folder's, and each briefing's own."""
    files: dict[str, Path] = {}
    media = project / config.media_dir
    if media.is_dir() and not media.is_symlink():
        root = media.resolve()
        for path_str in tree_signatures([media]):
            path = Path(path_str)
            if path.resolve().is_relative_to(root):
                files[config.media_path + path.relative_to(media).as_posix()] = path
    for b in site.briefings:
        for out, src in b.media:
            files[out] = Path(src)
    return files


def check_links(
    site: Site, pages: Sequence[Page], project: Path, published: set[str] | None = None
) -> list[Problem]:
    """Every body link to a page of the site must name a planned page (its anchors are
    checked once the pages are rendered: ``check_anchors``). With ``published`` (the paths
    a published build keeps; `check` sees drafts too), a published briefing may not link
    to one the published site leaves out."""
    paths = {p.path for p in pages}
    by_url = {b.url_path: b for b in site.briefings}
    problems: list[Problem] = []
    for b in site.briefings:
        for link in b.links:
            other = by_url.get(link.path if link.path.endswith("/") else link.path + "/")
            if published is not None and b.path in published and other is not None:
                if other.path not in published:
                    why = "a draft" if other.draft else f"dated {other.date.isoformat()}"
                    problems.append(
                        Problem(
                            b.path, link.line, "body",
                            f"{link.needle!r} links to {other.path}, {why}: the published "
                            "site will not have it",
                            "publish that briefing first, or remove the link",
                        )
                    )  # fmt: skip
                    continue
            if link_page(link.path, paths) is None:
                problems.append(
                    Problem(
                        b.path, link.line, "body",
                        f"{link.needle!r}: the site has no page {link.path or '/'}",
                        _link_hint(link.path, by_url, paths, site.config.base_path),
                    )
                )  # fmt: skip
    return problems


def link_page(target: str, paths: set[str]) -> str | None:
    """The planned page a site path names (a folder names its index.html), or None."""
    if target in paths:
        return target
    page = f"{target.rstrip('/')}/index.html".lstrip("/") if target else "index.html"
    return page if page in paths else None


def anchor_pages(site: Site, pages: Sequence[Page]) -> set[str]:
    """The pages some body links to with an anchor: the only ones whose ids are read."""
    paths = {p.path for p in pages}
    found = {link_page(link.path, paths) for b in site.briefings for link in b.links if link.anchor}
    return {p for p in found if p is not None}


def check_anchors(
    site: Site, pages: Sequence[Page], read: Callable[[str], bytes | None]
) -> list[Problem]:
    """Every body link's anchor against the ids of the page it names, as rendered."""
    paths = {p.path for p in pages}
    ids: dict[str, set[str] | None] = {}
    problems: list[Problem] = []
    for b in site.briefings:
        for link in b.links:
            page = link_page(link.path, paths) if link.anchor else None
            if page is None or not page.endswith(".html"):
                continue
            if page not in ids:
                data = read(page)
                ids[page] = set(_ID.findall(data.decode("utf-8", "replace"))) if data else None
            known = ids[page]
            if known is not None and link.anchor not in known:
                problems.append(
                    Problem(
                        b.path, link.line, "body",
                        f"{link.needle!r}: {link.path or '/'} has no anchor #{link.anchor}",
                        _anchor_hint(link.anchor, known),
                    )
                )  # fmt: skip
    return problems


_ID = re.compile(r"""\sid=["']?([^"'\s>]+)""")


def _link_hint(target: str, by_url: Mapping[str, Briefing], paths: set[str], base: str) -> str:
    prefix = base.lstrip("/")
    rest = target[len(prefix) :] if prefix and target.startswith(prefix) else None
    if rest is not None and (
        not rest or rest in paths or f"{rest.rstrip('/')}/index.html" in paths
    ):
        return f"write it from the site's root, /{rest}: Dossier adds the base path {base}"

    close = difflib.get_close_matches(target, list(by_url), n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]}?"
    return "link to a page the site has: a briefing is briefings/<slug>/"


def _anchor_hint(anchor: str, known: set[str]) -> str:
    close = difflib.get_close_matches(anchor, sorted(known), n=1, cutoff=0.6)
    return f"did you mean #{close[0]}?" if close else "link to a heading's or an annotation's id"
