"""site.yaml: the declared, validated settings of one site (documented in docs/config.md)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from urllib.parse import quote, urlsplit

import yaml
from babel import UnknownLocaleError

from dossier.annotations import is_web_url
from dossier.dates import parse_date
from dossier.errors import Problems
from dossier.formatting import locale_of
from dossier.money import parse_amount, parse_currency
from dossier.schema import BOOL, INT, Ctx, Fields, check_safe, compose, kind_name
from dossier.tags import tag_identity, tag_slug

CONFIG_FILE = "site.yaml"
MARKDOWN_EXTENSIONS = (
    "footnotes",
    "tables",
    "toc",
    "attr_list",
    "smarty",
    "abbr",
    "def_list",
    "admonition",
    "sane_lists",
)

MARKDOWN_KEYS = ("extensions", "toc_depth")
KEYS = (
    "title",
    "description",
    "base_url",
    "language",
    "languages",
    "output_dir",
    "timezone",
    "reporting_currency",
    "publisher",
    "date_format",
    "page_size",
    "exchange_rates",
    "markdown",
    "allow_raw_html",
    "tag_vocabulary",
    "media_dir",
)
MEDIA_DIR = "content/media"


@dataclass(frozen=True, slots=True)
class Rate:
    """An exchange rate (units of the reporting currency per unit) in force from ``start``
    (None: always) until the next rate's start."""

    start: dt.date | None
    rate: Decimal


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str
    base_url: str
    description: str = ""
    language: str = "en"  # the default language: its pages have no language folder
    languages: tuple[str, ...] = ()  # every language, the default first; () is just `language`
    output_dir: str = "_site"
    timezone: str = "UTC"
    reporting_currency: str = "USD"
    publisher: str = ""
    date_format: str = "long"
    page_size: int = 10
    exchange_rates: Mapping[str, tuple[Rate, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    markdown_extensions: tuple[str, ...] = ("footnotes", "tables", "toc", "attr_list", "smarty")
    toc_depth: str = "2-3"
    allow_raw_html: bool = False
    tag_vocabulary: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    media_dir: str = MEDIA_DIR  # shared images and files, published under their path in content/

    @property
    def all_languages(self) -> tuple[str, ...]:
        return self.languages or (self.language,)

    def language_folder(self, language: str) -> str:
        """Where a language's pages live: the default's at the root, others under /<tag>/."""
        return "" if language == self.language else f"{language}/"

    @property
    def media_path(self) -> str:
        """The URL folder the media files are published under (``media/``)."""
        return self.media_dir.removeprefix("content/").strip("/") + "/"

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, always starting and ending with '/'."""
        return urlsplit(self.base_url).path or "/"

    def url(self, path: str) -> str:
        """A root-relative URL for a site path, so links work under any base path."""
        return self.base_path + _escaped(path.lstrip("/"))

    def today(self) -> dt.date:
        """Today in the site's time zone: what "published" and "scheduled" are measured by."""
        return dt.datetime.now(zoneinfo.ZoneInfo(self.timezone)).date()

    def absolute_url(self, path: str) -> str:
        return self.base_url + _escaped(path.lstrip("/"))


def _escaped(path: str) -> str:
    """Percent-encoded UTF-8 for what a URL cannot hold as is (a tag page in Cyrillic:
    tags/україна/ is written tags/%D1%83…/, as sitemaps require); a server decodes it back
    to the folder's name."""
    return path if path.isascii() else quote(path, safe="/#?&=:@!$'()*+,;~%")


def load_config(project: Path) -> SiteConfig:
    """Read and validate site.yaml; every problem in it is reported at once."""
    path = project / CONFIG_FILE
    problems = Problems()
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        problems.add(
            CONFIG_FILE,
            None,
            "",
            "site.yaml not found",
            f"create it in {project}, see docs/config.md",
        )
        problems.raise_if_errors()
        raise AssertionError from None
    except UnicodeDecodeError as exc:
        problems.add(CONFIG_FILE, None, "", f"not UTF-8 ({exc.reason})", "save it as UTF-8")
        problems.raise_if_errors()
        raise AssertionError from None
    config = parse_config(text, problems)
    problems.raise_if_errors()
    assert config is not None
    return config


def parse_config(text: str, problems: Problems) -> SiteConfig | None:
    """site.yaml's text to settings; None after recording every problem."""
    ctx = Ctx(CONFIG_FILE, 1, problems)
    root = compose(text.lstrip("\ufeff"), CONFIG_FILE, 1, problems)
    if root is None or not check_safe(root, ctx):
        if not problems.errors:
            problems.add(
                CONFIG_FILE, 1, "", "site.yaml is empty", "add at least title and base_url"
            )
        return None
    return _read(Fields(root, "", ctx, KEYS), ctx)


def _read(f: Fields, ctx: Ctx) -> SiteConfig | None:
    title = f.text("title")
    description = f.text("description", required=False, empty_ok=True) or ""
    base_url = f.converted("base_url", _parse_base_url, True, "a URL")
    language = f.converted("language", _parse_language, False, "a language tag")
    languages = _read_languages(f, language)
    language = (languages[0] if languages else language) or "en"
    output_dir = f.text("output_dir", required=False) or "_site"
    if any(unicodedata.category(ch) == "Cc" for ch in output_dir):
        f.fail(
            "output_dir",
            f"{output_dir!r} has a control character",
            "write the folder's name without it, e.g. _site",
        )
    timezone = f.converted("timezone", _parse_timezone, False, "a time zone") or "UTC"
    reporting = f.converted("reporting_currency", parse_currency, False, "a currency code") or "USD"
    publisher = f.text("publisher", required=False) or ""
    date_format = f.text("date_format", required=False) or "long"
    page_size = f.converted("page_size", _parse_page_size, False, "a number") or 10
    rates = _read_rates(f, ctx, reporting)
    extensions, toc_depth = _read_markdown(f, ctx)
    allow_raw = f.boolean("allow_raw_html", False)
    tag_vocabulary = _read_tag_vocabulary(f, ctx)
    media_dir = f.converted("media_dir", _parse_media_dir, False, "a folder") or MEDIA_DIR
    if not f.ok or title is None or base_url is None:
        return None
    return SiteConfig(
        title=title,
        base_url=base_url,
        description=description,
        language=language,
        languages=languages,
        output_dir=output_dir,
        timezone=timezone,
        reporting_currency=reporting,
        publisher=publisher or title,
        date_format=date_format,
        page_size=page_size,
        exchange_rates=MappingProxyType(rates),
        markdown_extensions=extensions,
        toc_depth=toc_depth,
        allow_raw_html=allow_raw,
        tag_vocabulary=MappingProxyType(tag_vocabulary),
        media_dir=media_dir,
    )


def _parse_base_url(node: yaml.ScalarNode) -> str:
    raw = node.value.strip()
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not is_web_url(raw):
        raise ValueError(
            f"{raw!r} is not an absolute http(s) URL|e.g. https://example.org/briefings/"
        )
    if parts.query or parts.fragment:
        raise ValueError(f"{raw!r} must not have a query or fragment|remove what follows ? or #")
    return raw if raw.endswith("/") else raw + "/"


def _read_languages(f: Fields, language: str | None) -> tuple[str, ...]:
    """languages: [en, uk], the default first; `language`, when also set, must be that one."""
    if not f.has("languages"):
        return ()
    out: list[str] = []
    for i, node in f.items("languages"):
        key = f"languages[{i}]"
        if not isinstance(node, yaml.ScalarNode):
            f._fail(node, key, f"must be a language tag, not {kind_name(node)}", "e.g. - uk")
            continue
        try:
            tag = _parse_language(node)
        except ValueError as exc:
            message, _, hint = str(exc).partition("|")
            f._fail(node, key, message, hint)
            continue
        if tag in out:
            f._fail(node, key, f"{tag!r} is listed twice", "list each language once")
        out.append(tag)
    if not out and f.ok:
        f.fail("languages", "lists no language", "list the default first, e.g. [en, uk]")
    if out and language and language != out[0]:
        f.fail(
            "languages",
            f"the default language is the first listed, {out[0]!r}, but 'language' is {language!r}",
            f"remove 'language', or list {language!r} first",
        )
    return tuple(out)


def _parse_language(node: yaml.ScalarNode) -> str:
    raw = node.value.strip()
    if node.tag == BOOL:  # `language: no` is Norwegian, but YAML 1.1 says False
        raise ValueError(f'{raw!r} was read as a boolean (YAML 1.1)|quote it: "{raw}"')
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", raw):
        raise ValueError(f"{raw!r} is not a BCP 47 language tag|e.g. en, en-GB, uk")
    try:
        locale_of(raw)
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"{raw!r} is not a language Babel knows|e.g. en, en-GB, uk, fr") from None
    return raw


# Folders a media folder's URL must not take: the views' own.
_VIEW_FOLDERS = {"briefings", "tags", "timeline", "aid", "sources", "quotes", "publishers",
                 "archive", "search", "pagefind", "static", "page", "entities"}  # fmt: skip


def _parse_media_dir(node: yaml.ScalarNode) -> str:
    raw = node.value.strip().strip("/")
    parts = raw.split("/")
    if (
        len(parts) < 2
        or parts[0] != "content"
        or any(p in ("", ".", "..") or p.startswith(".") for p in parts)
        or any(unicodedata.category(ch)[0] == "C" or ch == "\\" for ch in raw)
    ):
        raise ValueError(f"{raw!r} is not a folder inside content/|e.g. content/media")
    if parts[1] == "briefings" or parts[1] in _VIEW_FOLDERS:
        raise ValueError(
            f"{raw!r} would publish its files at /{parts[1]}/, a folder the site's own pages use"
            "|choose another name, e.g. content/media"
        )
    return raw


def _parse_timezone(node: yaml.ScalarNode) -> str:
    raw = node.value.strip()
    try:
        zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{raw!r} is not an IANA time zone|e.g. UTC, Europe/Kyiv") from None
    return raw


def _parse_page_size(node: yaml.ScalarNode) -> int:
    raw = node.value.strip()
    if node.tag != INT or not raw.isdigit() or not 1 <= int(raw) <= 1000:
        raise ValueError(f"{raw!r} is not a page size|a whole number from 1 to 1000")
    return int(raw)


def _read_rates(f: Fields, ctx: Ctx, reporting: str) -> dict[str, tuple[Rate, ...]]:
    """exchange_rates, in units of the reporting currency per unit of each currency:
    one rate (``EUR: "1.08"``) or dated rates, each in force from its date until the next
    (``EUR: [{from: 2024-01-01, rate: "1.09"}, {from: 2025-01-01, rate: "1.04"}]``)."""
    node = f.node_of("exchange_rates")
    if node is None or not f.has("exchange_rates"):
        return {}
    rates: dict[str, tuple[Rate, ...]] = {}
    inner = Fields(node, "exchange_rates", ctx, allowed=_AnyKey())
    if not inner.ok:
        f.ok = False
        return {}
    for knode, vnode in node.value:
        code_key = f"exchange_rates.{knode.value}"
        try:
            code = parse_currency(knode)
        except ValueError as exc:
            message, _, hint = str(exc).partition("|")
            ctx.error(knode, code_key, message, hint)
            f.ok = False
            continue
        if isinstance(vnode, yaml.SequenceNode):
            dated = _dated_rates(vnode, code_key, ctx)
            if dated is None:
                f.ok = False
            else:
                rates[code] = dated
            continue
        try:
            if not isinstance(vnode, yaml.ScalarNode):
                raise ValueError(
                    "must be a rate or a list of dated rates"
                    '|e.g. EUR: "1.08", or EUR: [{from: 2024-01-01, rate: "1.09"}]'
                )
            rates[code] = (Rate(None, parse_amount(vnode)),)
        except ValueError as exc:
            message, _, hint = str(exc).partition("|")
            ctx.error(vnode, code_key, message, hint)
            f.ok = False
    if reporting in rates and any(r.rate != 1 for r in rates[reporting]):
        ctx.error(
            node,
            f"exchange_rates.{reporting}",
            "the reporting currency's rate must be 1",
            "remove it",
        )
        f.ok = False
    return rates


def _dated_rates(node: yaml.SequenceNode, key: str, ctx: Ctx) -> tuple[Rate, ...] | None:
    found: list[Rate] = []
    ok = True
    for i, item in enumerate(node.value):
        g = Fields(item, f"{key}[{i}]", ctx, ("from", "rate"))
        start = g.converted("from", parse_date, True, "a date")
        rate = g.converted("rate", parse_amount, True, "a rate")
        if not g.ok or start is None or rate is None:
            ok = False
            continue
        same = next((r for r in found if r.start == start), None)
        if same is not None:
            g.fail("from", f"two rates from {start}", "keep one rate per date")
            ok = False
            continue
        found.append(Rate(start, rate))
    if ok and not found:
        ctx.error(
            node, key, "the list of dated rates is empty", 'e.g. [{from: 2024-01-01, rate: "1.09"}]'
        )
        ok = False
    return tuple(sorted(found, key=lambda r: r.start or dt.date.min)) if ok else None


def _read_markdown(f: Fields, ctx: Ctx) -> tuple[tuple[str, ...], str]:
    node = f.node_of("markdown")
    defaults = SiteConfig.__dataclass_fields__["markdown_extensions"].default
    if node is None or not f.has("markdown"):
        return defaults, "2-3"
    inner = Fields(node, "markdown", ctx, MARKDOWN_KEYS)
    extensions = inner.text_list("extensions") if inner.has("extensions") else defaults
    for name in extensions:
        if name not in MARKDOWN_EXTENSIONS:
            inner.fail(
                "extensions",
                f"{name!r} is not a supported extension",
                "one of: " + ", ".join(MARKDOWN_EXTENSIONS),
            )
    toc_depth = inner.text("toc_depth", required=False) or "2-3"
    if not re.fullmatch(r"[1-6](-[1-6])?", toc_depth):
        inner.fail("toc_depth", f"{toc_depth!r} is not a heading range", "e.g. 2-3")
    if not inner.ok:
        f.ok = False
    return tuple(extensions), toc_depth


def _read_tag_vocabulary(f: Fields, ctx: Ctx) -> dict[str, tuple[str, ...]]:
    """tag_vocabulary: a list of tags, or {tag: [keyword, ...]}: what `import` suggests."""
    node = f.node_of("tag_vocabulary")
    if node is None or not f.has("tag_vocabulary"):
        return {}
    out: dict[str, tuple[str, ...]] = {}
    if isinstance(node, yaml.SequenceNode):
        out = {t: (t.replace("-", " "),) for t in f.text_list("tag_vocabulary")}
        keys = [(f"tag_vocabulary[{i}]", n) for i, n in enumerate(node.value)]
    else:
        inner = Fields(node, "tag_vocabulary", ctx, allowed=_AnyKey())
        if inner.ok:
            for knode, _ in node.value:
                out[knode.value] = inner.text_list(knode.value) or (knode.value.replace("-", " "),)
        if not inner.ok:
            f.ok = False
            return out
        keys = [(f"tag_vocabulary.{k.value}", k) for k, _ in node.value]
    _check_tag_urls(keys, ctx, f)
    return out


def _check_tag_urls(keys: list[tuple[str, yaml.Node]], ctx: Ctx, f: Fields) -> None:
    """The tags `import` suggests follow the rule briefings do (dossier.site.check_tag_urls)."""
    seen: dict[str, str] = {}
    for key, knode in keys:
        if not isinstance(knode, yaml.ScalarNode) or not knode.value.strip():
            continue
        tag, slug = knode.value.strip(), tag_slug(knode.value)
        other = seen.setdefault(slug, tag)
        if not slug:
            message, hint = (
                f"{tag!r} has no letter or digit to make its URL from",
                "add a word to the tag, e.g. 'ukraine'",
            )
        elif tag_identity(other) != tag_identity(tag):
            message, hint = (
                f"tag {tag!r} and tag {other!r} would share the page tags/{slug}/",
                "write them the same way to make them one tag, or rename one",
            )
        else:
            continue
        ctx.error(knode, key, message, hint)
        f.ok = False


class _AnyKey(tuple):
    """An 'allowed keys' set that allows every key (for user-keyed mappings)."""

    def __contains__(self, item: object) -> bool:
        return True
