"""The Jinja environment, its filters, and rendering one page to bytes."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from dossier.briefing import tag_slug
from dossier.config import SiteConfig
from dossier.content import template_dirs
from dossier.dates import PartialDate
from dossier.errors import DossierError, Problem
from dossier.formatting import (
    format_day,
    format_money,
    format_money_compact,
    format_partial,
    language_name,
    og_locale,
)
from dossier.i18n import load_translations
from dossier.money import Money
from dossier.page import Page
from dossier.site import Site
from dossier.structured_data import article_jsonld
from dossier.views.cards import fill_cards
from dossier.views.plan import localize
from dossier.views.sharecards import SHARE_CARD, card_path, render_share_card


def make_environment(
    project: Path, config: SiteConfig, language: str | None = None
) -> jinja2.Environment:
    """The templates of one site in one language (the site's default unless told)."""
    dirs = template_dirs(project)
    translations, problems = load_translations(dirs, language or config.language)
    if problems:
        raise DossierError(problems)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,  # every template, whatever its name (.html, .xml, .j2 …)
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.policies["ext.i18n.trimmed"] = (
        True  # {% trans %} blocks as one line, as babel.cfg reads them
    )
    lang, fmt = language or config.language, config.date_format
    url, absolute_url = config.url, config.absolute_url
    if config.language_folder(lang):  # a page in another language links that language's views
        url = lambda path: config.url(localize(path, config, lang))  # noqa: E731
        absolute_url = lambda path: config.absolute_url(localize(path, config, lang))  # noqa: E731
    filters: dict[str, Callable[..., Any]] = {
        "url": url,
        "absolute_url": absolute_url,
        "money": lambda m: format_money(m, lang) if isinstance(m, Money) else m,
        "money_compact": lambda m: format_money_compact(m, lang) if isinstance(m, Money) else m,
        "with_cards": lambda html, record: fill_cards(
            html,
            record,
            lambda m: format_money_compact(m, lang),
            lambda d: format_partial(d, lang, fmt),
        ),
        "day": lambda d, pattern=None: format_day(d, lang, pattern or fmt),
        "partial_date": lambda d: format_partial(d, lang, fmt) if isinstance(d, PartialDate) else d,
        "iso": lambda d: d.isoformat(),
        "tag_slug": tag_slug,
        "card_path": card_path,
        "og_locale": og_locale,
        "language_name": language_name,
        "jsonld": _jsonld,
        "article_jsonld": lambda b: _jsonld(article_jsonld(b, config)),
    }
    for name in CACHED_FILTERS:  # Babel costs ~50 µs a call; the index formats every date
        filters[name] = _cached(filters[name])
    env.filters.update(filters)
    # `b.date is future`: a briefing the preview shows before its publication date
    env.tests["future"] = lambda d: isinstance(d, dt.date) and d > config.today()
    return env


def make_environments(project: Path, config: SiteConfig) -> dict[str, jinja2.Environment]:
    """An environment for each language of the site, by the language of a page (``Page.lang``:
    "" on a site of one language, the default's environment)."""
    default = make_environment(project, config)
    envs = {"": default, config.language: default}
    for language in config.all_languages:
        if language not in envs:
            envs[language] = make_environment(project, config, language)
    return envs


CACHED_FILTERS = ("day", "partial_date", "money", "money_compact")


def _cached(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` answering each argument list once (one environment is one site's settings)."""
    answers: dict[tuple[Any, ...], Any] = {}

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            return fn(*args, **kwargs)
        try:
            return answers[args]
        except KeyError:
            value = answers[args] = fn(*args)
            return value
        except TypeError:  # unhashable
            return fn(*args)

    return call


def _jsonld(value: Any) -> Markup:
    """JSON for a <script type="application/ld+json">: '<', '>' and '&' escaped, so no text
    can close the script element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


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
    if page.template == SHARE_CARD:  # drawn, not templated
        return render_share_card(page)
    try:
        template = env.get_template(page.template)
        shown = site.view(page.lang)  # what a page in its language shows (dossier.site)
        return template.render(site=shown, page=page, config=site.config).encode("utf-8")
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
