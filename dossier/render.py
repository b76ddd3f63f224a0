"""Pages: the list of what the site contains, and the Jinja environment that renders them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jinja2
from markupsafe import Markup

import dossier
from dossier.briefing import Briefing, tag_slug
from dossier.config import SiteConfig
from dossier.dates import PartialDate
from dossier.errors import DossierError, Problem
from dossier.formatting import format_day, format_money, format_partial
from dossier.money import Money
from dossier.site import Site
from dossier.structured_data import article_jsonld

PACKAGE_ROOT = Path(dossier.__file__).resolve().parent.parent


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

    @property
    def is_html(self) -> bool:
        return self.body is None and self.path.endswith(".html")

    @property
    def url_path(self) -> str:
        return self.path.removesuffix("index.html")


def template_dirs(project: Path) -> list[Path]:
    """The project's templates/, then Dossier's own, so a project overrides file by file."""
    return _existing_once([project / "templates", PACKAGE_ROOT / "templates"])


def static_dirs(project: Path) -> list[Path]:
    """Dossier's static/, then the project's, which wins where both have a file."""
    return _existing_once([PACKAGE_ROOT / "static", project / "static"])


def _existing_once(dirs: list[Path]) -> list[Path]:
    out: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [o.resolve() for o in out]:
            out.append(d)
    return out


def make_environment(project: Path, config: SiteConfig) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(project)]),
        autoescape=True,  # every template, whatever its name (.html, .xml, .j2 …)
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    lang, fmt = config.language, config.date_format
    filters: dict[str, Callable[..., Any]] = {
        "url": config.url,
        "absolute_url": config.absolute_url,
        "money": lambda m: format_money(m, lang) if isinstance(m, Money) else m,
        "day": lambda d, pattern=None: format_day(d, lang, pattern or fmt),
        "partial_date": lambda d: format_partial(d, lang, fmt) if isinstance(d, PartialDate) else d,
        "iso": lambda d: d.isoformat(),
        "tag_slug": tag_slug,
        "jsonld": _jsonld,
        "article_jsonld": lambda b: _jsonld(article_jsonld(b, config)),
    }
    env.filters.update(filters)
    # `b.date is future`: a briefing the preview shows before its publication date
    env.tests["future"] = lambda d: isinstance(d, dt.date) and d > today_in(config)
    return env


def _jsonld(value: Any) -> Markup:
    """JSON for a <script type="application/ld+json">: '<', '>' and '&' escaped, so no text
    can close the script element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def plan_pages(site: Site) -> list[Page]:
    """Every page of the site; more planners register through ``PAGE_PLANNERS``.

    The sitemap comes last because it lists every HTML page planned before it.
    """
    from dossier.views.plan import plan_site_pages, plan_sitemap

    pages = plan_site_pages(site)
    for planner in PAGE_PLANNERS:
        pages.extend(planner(site))
    pages.extend(plan_sitemap(site, pages))
    return pages


PAGE_PLANNERS: list[Callable[[Site], Iterable[Page]]] = []


def render_pages(
    env: jinja2.Environment, site: Site, pages: Iterable[Page]
) -> Iterator[tuple[str, bytes]]:
    """Render each page in turn (machine files pass through as they are)."""
    for page in pages:
        yield page.path, render_page(env, site, page)


def render_page(env: jinja2.Environment, site: Site, page: Page) -> bytes:
    """One page's bytes; template errors become a DossierError naming template and line."""
    if page.body is not None:
        return page.body
    try:
        template = env.get_template(page.template)
        return template.render(site=site, page=page, config=site.config).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        problem = _template_problem(exc, exc.lineno, exc.message or "syntax error")
    except jinja2.TemplateNotFound as exc:
        problem = Problem(
            f"templates/{exc.name}", None, "template", "template not found", "add it to templates/"
        )
    except (jinja2.UndefinedError, TypeError, AttributeError, ValueError, KeyError) as exc:
        problem = _runtime_problem(exc, page)
    raise DossierError([problem])


def _template_problem(exc: jinja2.TemplateSyntaxError, line: int | None, message: str) -> Problem:
    name = exc.filename or exc.name or "template"
    return Problem(_rel_template(name), line, "template", message, "fix the Jinja syntax")


def _rel_template(name: str) -> str:
    p = Path(name)
    if p.is_absolute():
        parts = p.parts
        if "templates" in parts:
            return "/".join(parts[len(parts) - 1 - parts[::-1].index("templates") :])
    return name if name.startswith("templates/") else f"templates/{name}"


def _runtime_problem(exc: Exception, page: Page) -> Problem:
    """Find the template frame in the traceback so the error names template and line."""
    tb = exc.__traceback__
    where: tuple[str, int] | None = None
    while tb is not None:
        # Jinja rewrites tracebacks so template frames carry the template's file and line.
        filename = tb.tb_frame.f_code.co_filename
        if "templates" in Path(filename).parts:
            where = (filename, tb.tb_lineno)
        tb = tb.tb_next
    path, line = where if where else (page.template, None)
    return Problem(
        _rel_template(path),
        line,
        "template",
        f"{exc} (rendering {page.path})",
        "check the variable names; templates get site, page and config",
    )


def today_in(config: SiteConfig) -> dt.date:
    import zoneinfo

    return dt.datetime.now(zoneinfo.ZoneInfo(config.timezone)).date()
