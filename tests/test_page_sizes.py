"""At 1,000 generated briefings no HTML page is over 250 KB (issue 14), checked per kind
of page so a failure names the kind and its heaviest pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from corpus_site import CORPUS_BRIEFINGS

LIMIT = 250_000  # bytes
SLUG_FOLDERS = ("briefings", "tags", "entities")  # their next folder is one of many

KINDS = [
    "home",
    "briefings",
    "timeline",
    "archive",
    "tags",
    "aid",
    "sources",
    "publishers",
    "quotes",
    "entities",
    "search",
    "404",
    "other",  # a view not named here is still checked
]

pytestmark = pytest.mark.slow


def kind_of(rel: str) -> str:
    """'timeline/2024/03/index.html' → 'timeline'; the home page and its pages → 'home'."""
    first = rel.split("/", 1)[0]
    if rel == "index.html" or first == "page":
        return "home"
    kind = first.removesuffix(".html")
    return kind if kind in KINDS else "other"


def shape_of(rel: str) -> str:
    """The URL pattern of a page: 'tags/<slug>/page/<n>/', 'timeline/<yyyy>/<mm>/'."""
    parts = rel.removesuffix("index.html").strip("/").split("/")
    out = []
    for i, part in enumerate(parts):
        if i and parts[i - 1] in SLUG_FOLDERS:
            out.append("<slug>")
        elif i and parts[i - 1] == "page":
            out.append("<n>")
        elif re.fullmatch(r"\d{4}", part):
            out.append("<yyyy>")
        elif re.fullmatch(r"\d{2}", part):
            out.append("<mm>")
        else:
            out.append(part)
    return "/".join(out) + "/"


def html_sizes(site: Path) -> dict[str, int]:
    return {
        p.relative_to(site).as_posix(): p.stat().st_size
        for p in site.rglob("*.html")
        if p.relative_to(site).parts[0] != "pagefind"
    }


def test_the_size_checks_see_the_pages_of_every_view(corpus_site: Path) -> None:
    sizes = html_sizes(corpus_site)
    kinds = {kind_of(rel) for rel in sizes}
    assert {"home", "briefings", "timeline", "archive", "tags", "aid", "sources", "quotes"} <= kinds
    assert "entities" in kinds  # the corpus comes with a registry of its names
    assert sum(1 for rel in sizes if rel.startswith("briefings/")) == CORPUS_BRIEFINGS


@pytest.mark.parametrize("kind", KINDS)
def test_no_html_page_is_over_250_kb_at_1000_briefings(corpus_site: Path, kind: str) -> None:
    sizes = {rel: size for rel, size in html_sizes(corpus_site).items() if kind_of(rel) == kind}
    over = sorted(((size, rel) for rel, size in sizes.items() if size > LIMIT), reverse=True)
    shapes = sorted({shape_of(rel) for _, rel in over})
    report = [f"{rel}: {size / 1000:.0f} KB" for size, rel in over[:20]]
    assert over == [], (
        f"{len(over)} {kind} page(s) over {LIMIT // 1000} KB {shapes}:\n" + "\n".join(report)
    )


def test_the_size_check_names_the_pages_it_finds_too_large(tmp_path: Path) -> None:
    (tmp_path / "timeline" / "2024" / "03").mkdir(parents=True)
    (tmp_path / "timeline" / "2024" / "03" / "index.html").write_bytes(b"x" * (LIMIT + 1))
    (tmp_path / "index.html").write_bytes(b"x" * LIMIT)
    sizes = html_sizes(tmp_path)
    over = [rel for rel, size in sizes.items() if size > LIMIT]
    assert over == ["timeline/2024/03/index.html"]
    assert kind_of(over[0]) == "timeline" and kind_of("page/3/index.html") == "home"
    assert kind_of("speakers/x/index.html") == "other"
    assert shape_of(over[0]) == "timeline/<yyyy>/<mm>/"
    assert shape_of("tags/food-security/page/2/index.html") == "tags/<slug>/page/<n>/"
