"""Links and images in a body: made root-relative under the base path, their files found,
and what must be checked against the whole site noted.

- ``![Map](map.png)``, ``[the PDF](report.pdf)``: a file next to the briefing (a relative
  path without ``..``) is copied beside its page, ``briefings/<slug>/map.png``;
- ``/media/chart.png``, ``/static/img/x.png``: a file of the media folder or of the static
  files; it must exist;
- ``../other-briefing/``, ``/timeline/#2024``: a page of the site, checked once the site is
  planned (``dossier.links.check_links``), anchors included;
- every image gets its ``width`` and ``height`` (``dossier.imagesize``), so nothing shifts
  as the page loads; an image alone in its paragraph with a title is a figure, the title
  its caption.

Each finding names its needle (the URL as written) so the renderer can give it a line.
"""

from __future__ import annotations

import os
import posixpath
import stat
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from dossier.imagesize import image_size
from dossier.markdown.state import DocumentState

# Links Dossier and Python-Markdown make themselves, to anchors they also make.
MADE_HERE = ("citation", "annotation", "footnote-ref", "footnote-backref")
LINKS_PRIORITY = 2  # after url_safety (3), which refuses hostile schemes first; before unescape (0)


@dataclass(frozen=True)
class PageLink:
    """A link to a page of the site, to check once the site is planned."""

    path: str  # site path: briefings/x/ (a folder) or feed.xml
    anchor: str
    needle: str  # the URL as written, to find its line
    line: int | None = None


@dataclass
class LinkContext:
    """Where the body being rendered lives, and how to find files."""

    page_url: str  # briefings/<slug>/
    base_path: str  # /dossier/
    source_dir: Path | None  # the folder of the .md file
    find_site_file: Callable[[str], Path | None]  # static/…, media/… → the file, or None
    file_areas: tuple[str, ...] = ("static/",)  # site paths that are files, not pages
    links: list[PageLink] = field(default_factory=list)
    media: dict[str, Path] = field(default_factory=dict)  # output path → source file
    # files looked for → (mtime, size) when found: a later build reads the body again when
    # one appears, changes (its size is in the HTML) or goes
    depends: dict[str, tuple[int, int] | None] = field(default_factory=dict)
    candidate: Callable[[str], Path | None] = lambda site_path: None  # where a missing one goes
    anchors: frozenset[str] = frozenset()  # ids the page has besides the body's (annotations)


class LinksTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, state: DocumentState) -> None:
        super().__init__(md)
        self.state = state
        self.context: LinkContext | None = None

    def run(self, root: etree.Element) -> None:
        ctx = self.context
        if ctx is None:
            return
        ids = {i for el in root.iter() if (i := el.get("id"))}
        for el in list(root.iter()):
            attr = "href" if el.tag == "a" else "src" if el.tag == "img" else None
            raw = el.get(attr) if attr else None
            if raw is None or el.get("class", "").startswith(MADE_HERE):
                continue
            if raw.startswith("#") and (raw[1:] in ids or raw[1:] in ctx.anchors):
                continue  # an anchor of this page that the body or its annotations make
            new = self._resolve(raw, el.tag == "img", ctx, el)
            if new is not None:
                el.set(attr, new)  # type: ignore[arg-type]
        _figures(root)

    def _resolve(self, raw: str, image: bool, ctx: LinkContext, el: etree.Element) -> str | None:
        parts = urlsplit(raw)
        if parts.scheme or parts.netloc or raw.startswith("//"):
            return None  # another site (the URL check refuses dangerous schemes)
        path, anchor = unquote(parts.path), parts.fragment
        if not path:
            if anchor:
                ctx.links.append(PageLink(ctx.page_url, anchor, raw))
            return None
        tail = (f"?{parts.query}" if parts.query else "") + (f"#{anchor}" if anchor else "")
        if path.startswith("/"):
            site_path = path.lstrip("/")  # from the site's root: the base path is added
        else:
            beside = self._beside(path, ctx)
            if beside is not None:
                out = posixpath.join(ctx.page_url, path)
                ctx.media[out] = beside
                if image:
                    _size(el, beside)
                return ctx.base_path + out + tail
            site_path = posixpath.normpath(posixpath.join(ctx.page_url, path))
            site_path = "" if site_path == "." else site_path
            if path.endswith("/") and site_path:
                site_path += "/"
            if site_path.startswith("../") or site_path == "..":
                self.state.report(raw, f"{raw!r} leads out of the site", "link to a page of it")
                return None
        if site_path.startswith(ctx.file_areas):
            found = ctx.find_site_file(site_path)
            watched = found or ctx.candidate(site_path)
            if watched is not None:
                ctx.depends[str(watched)] = stamp(watched)
            if found is None:
                self.state.report(
                    raw,
                    f"{raw!r}: there is no file {site_path}",
                    "add the file, or fix the path (static files are under /static/, "
                    "shared media under the media folder's URL)",
                )
                return None
            if image:
                _size(el, found)
        elif image:
            self.state.report(
                raw,
                f"{raw!r}: there is no image file {site_path or '/'}",
                "put the image next to the briefing and write its name, e.g. ![Map](map.png)",
            )
            return None
        else:
            ctx.links.append(PageLink(site_path, anchor, raw))
        return ctx.base_path + site_path + tail

    @staticmethod
    def _beside(path: str, ctx: LinkContext) -> Path | None:
        """A file next to the briefing: a relative path that stays in its folder."""
        if ctx.source_dir is None or path.endswith("/") or path.endswith(".md"):
            return None
        parts = path.split("/")
        if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
            return None
        candidate = ctx.source_dir.joinpath(*parts)
        ctx.depends[str(candidate)] = stamp(candidate)
        try:
            real = candidate.resolve(strict=True)
        except OSError:
            return None
        if not real.is_file() or not real.is_relative_to(ctx.source_dir.resolve()):
            return None
        return real


def stamp(path: Path | str) -> tuple[int, int] | None:
    """A file's mtime and size, or None when it is not a file."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size) if stat.S_ISREG(st.st_mode) else None


def _size(el: etree.Element, path: Path) -> None:
    size = image_size(path)
    if size is not None and "width" not in el.attrib and "height" not in el.attrib:
        el.set("width", str(size[0]))
        el.set("height", str(size[1]))


def _figures(root: etree.Element) -> None:
    """``![alt](x.png "Caption")`` alone in its paragraph becomes a figure with a caption."""
    for parent in list(root.iter()):
        for i, p in enumerate(list(parent)):
            if p.tag != "p" or len(p) != 1 or (p.text or "").strip():
                continue
            img = p[0]
            if img.tag != "img" or (img.tail or "").strip() or not img.get("title"):
                continue
            figure = etree.Element("figure", {"class": "figure"})
            figure.tail = p.tail
            img.tail = None
            caption = img.attrib.pop("title")
            figure.append(img)
            cap = etree.SubElement(figure, "figcaption")
            cap.text = caption
            parent.remove(p)
            parent.insert(i, figure)
