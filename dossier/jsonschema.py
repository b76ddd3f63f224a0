"""JSON Schemas (draft 2020-12) for briefing front matter, site.yaml and entities.yaml.

They are made by running the validators themselves on empty entries with
``dossier.schema.RECORDING`` set: every ``Fields`` then notes its allowed keys and, for
each field it reads, the reader (text, choice, a date, an amount…), whether it is
required and the choices it allows. Only what a reader cannot say is written here: the
JSON type each converter accepts, the id patterns, the fields read without a reader
(``exchange_rates``, ``markdown``, ``tag_vocabulary``, ``slug``) and a line of help per
field for the editor. A field the validators gain shows up in the schema by itself; a
test fails until it has its line of help.

The schemas describe YAML as an editor's language server reads it (YAML 1.2): a date is
a string, ``no`` is text. Dossier reads YAML 1.1's surprises itself (docs/format.md), so
a file the schema accepts can still have an error only ``dossier check`` finds; the
reverse does not happen for the fields' types, choices and required keys.
"""

from __future__ import annotations

import json
import re
import tempfile
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dossier import annotations, entities, schema
from dossier.config import MARKDOWN_EXTENSIONS, SiteConfig, parse_config
from dossier.errors import Problems
from dossier.money import known_currencies

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILES = {
    "briefing": "briefing.schema.json",
    "site": "site.schema.json",
    "entities": "entities.schema.json",
}

TEXT: dict[str, Any] = {"type": ["string", "number"], "minLength": 1}
FULL_DATE = {"type": "string", "pattern": r"^[12][0-9]{3}-[0-9]{2}-[0-9]{2}$"}
PARTIAL_DATE = {
    "anyOf": [
        {"type": "string", "pattern": r"^[12][0-9]{3}(-[0-9]{2}(-[0-9]{2})?)?$"},
        {"type": "integer", "minimum": 1000, "maximum": 2999},
    ]
}
AMOUNT = {
    "anyOf": [
        {"type": "number", "exclusiveMinimum": 0, "maximum": 10**15},
        {
            "type": "string",
            "pattern": r"^([0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?|[0-9]+(\.[0-9]+)?([eE]\+?[0-9]+)?)"
            r"\s*(thousand|k|million|mn|m|billion|bn|b|trillion|tn)?$",
        },
    ]
}
URL = {"type": "string", "pattern": r"^[hH][tT][tT][pP][sS]?://[^\s/]+\S*$"}

# What each converter accepts, by its qualified name (the validators' own functions).
CONVERTERS: dict[str, dict[str, Any]] = {
    "dossier.dates.parse_date": FULL_DATE,
    "dossier.dates.parse_partial_date": PARTIAL_DATE,
    "dossier.money.parse_amount": AMOUNT,
    "dossier.money.parse_currency": {},  # filled in by currency()
    "dossier.annotations.parse_url": URL,
    "dossier.config._parse_base_url": URL,
    "dossier.config._parse_language": {
        "type": "string",
        "pattern": r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    },
    "dossier.config._parse_timezone": {},  # filled in by timezones()
    "dossier.config._parse_page_size": {"type": "integer", "minimum": 1, "maximum": 1000},
    "dossier.config._parse_media_dir": {"type": "string", "pattern": r"^content/[^/.][^\\]*$"},
}


def currency() -> dict[str, Any]:
    return {"type": "string", "enum": sorted(known_currencies())}


def timezones() -> dict[str, Any]:
    return {"type": "string", "enum": sorted(zoneinfo.available_timezones())}


def _id(pattern: re.Pattern[str]) -> dict[str, Any]:
    return {"type": "string", "pattern": pattern.pattern}


def _one_or_many(item: dict[str, Any]) -> dict[str, Any]:
    """The validators take a single value for a list of one (text_list)."""
    return {"anyOf": [item, {"type": "array", "items": item}]}


NO_COMMA_TAGS = {
    "anyOf": [
        {"type": "string", "pattern": r"^[^,]+$"},
        {"type": "array", "items": {"type": ["string", "number"], "minLength": 1}},
    ]
}

# Per record (the key path with its indices taken out) and field: what a reader cannot say.
EXTRA: dict[str, dict[str, dict[str, Any]]] = {
    "briefing": {
        "slug": {"type": "string", "pattern": r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$"},
        "tags": NO_COMMA_TAGS,
    },
    "briefing.sources[]": {"id": _id(annotations.ID)},
    "briefing.events[]": {
        "id": _id(annotations.ID),
        "sources": _one_or_many(_id(annotations.ID)),
    },
    "briefing.aid[]": {"id": _id(annotations.ID), "sources": _one_or_many(_id(annotations.ID))},
    "briefing.quotes[]": {"id": _id(annotations.ID), "source": _id(annotations.ID)},
    "briefing.updates[]": {
        "ref": _id(annotations.ID),
        "sources": _one_or_many(_id(annotations.ID)),
    },
    "entities[]": {"id": _id(entities.ID), "wikidata": _id(entities.WIKIDATA)},
    "site": {
        "exchange_rates": {
            "type": "object",
            "propertyNames": {"pattern": "^[A-Z]{3}$"},
            "additionalProperties": {"type": "number", "exclusiveMinimum": 0, "maximum": 10**15},
        },
        "markdown": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "extensions": {
                    "description": "Python-Markdown extensions to switch on",
                    **_one_or_many({"enum": list(MARKDOWN_EXTENSIONS)}),
                },
                "toc_depth": {
                    "description": "the heading levels in the table of contents, e.g. 2-3",
                    "type": ["string", "integer"],
                    "pattern": "^[1-6](-[1-6])?$",
                },
            },
        },
        "tag_vocabulary": {
            "anyOf": [
                {"type": "array", "items": {"type": "string"}},
                {"type": "object", "additionalProperties": _one_or_many({"type": "string"})},
            ]
        },
    },
}

HELP: dict[str, dict[str, str]] = {
    "briefing": {
        "title": "The headline.",
        "date": "Publication date, YYYY-MM-DD; a briefing dated after today is left out.",
        "updated": "Last substantive update, YYYY-MM-DD; not before date.",
        "summary": "One or two sentences, for lists, meta tags and feeds.",
        "lang": "Its language, one of site.yaml's languages; the site's default if left out.",
        "translation_of": "The slug of the briefing this one translates (same fact ids).",
        "tags": "Topics, as a list: [ukraine, military-aid]; each gets a page.",
        "slug": "The URL: briefings/<slug>/; default: from the file's name.",
        "draft": "true keeps the briefing out of the published site; the preview shows it.",
        "sources": "Where the facts come from; cite one in the body as [@id].",
        "events": "Dated events; mark one in the body as [text]{.event ref=id}.",
        "aid": "Aid amounts; mark one in the body as [text]{.aid ref=id}.",
        "quotes": "Quoted words; mark them in the body as [text]{.quote ref=id}.",
        "updates": "Later changes to an aid fact: a new status, a delivered or corrected amount.",
    },
    "briefing.sources[]": {
        "id": "Lower-case letters, digits, - and _; cited as [@id].",
        "title": "The document's title.",
        "publisher": "Who published it.",
        "url": "An http(s) URL.",
        "published": "YYYY, YYYY-MM or YYYY-MM-DD.",
        "accessed": "YYYY-MM-DD.",
        "kind": "What kind of source it is.",
        "review": "Set by `import`: check the entry, then remove it.",
    },
    "briefing.events[]": {
        "id": "Lower-case letters, digits, - and _; the same id in two briefings is one event.",
        "date": "YYYY, YYYY-MM or YYYY-MM-DD; the precision written is shown.",
        "label": "What happened.",
        "place": "Where.",
        "actors": "Who acted (names, resolved through content/entities.yaml).",
        "sources": "Source ids.",
        "evidence": "Set by `import`: the sentence the event came from.",
        "review": "Set by `import`: check the entry, then remove it.",
    },
    "briefing.aid[]": {
        "id": "Lower-case letters, digits, - and _; the same id in two briefings is one fact.",
        "amount": 'A positive number, or text with a scale: "275 million".',
        "currency": "ISO 4217 code, upper case: USD, EUR, GBP, UAH.",
        "donor": "Who gives.",
        "recipient": "Who receives.",
        "date": "YYYY, YYYY-MM or YYYY-MM-DD.",
        "package": "The named package or programme.",
        "kind": "What the aid is.",
        "instrument": "How it is given.",
        "items": "What it holds.",
        "status": "Its stage: pledged, committed or delivered.",
        "sources": "Source ids.",
        "evidence": "Set by `import`: the sentence the amount came from.",
        "review": "Set by `import`: check the entry, then remove it.",
    },
    "briefing.quotes[]": {
        "id": "Lower-case letters, digits, - and _ (default quote-N).",
        "who": "The speaker.",
        "role": "The speaker's role or organisation (default: from content/entities.yaml).",
        "text": "The words quoted.",
        "source": "A source id.",
        "date": "YYYY, YYYY-MM or YYYY-MM-DD.",
        "evidence": "Set by `import`: the sentence the quote came from.",
        "review": "Set by `import`: check the entry, then remove it.",
    },
    "briefing.updates[]": {
        "ref": "The id of the aid fact it changes (defined in any briefing).",
        "date": "YYYY, YYYY-MM or YYYY-MM-DD.",
        "status": "The new stage.",
        "amount": "The amount this stage concerns.",
        "currency": "ISO 4217 code of the amount.",
        "note": "A few words on the change.",
        "sources": "Source ids.",
    },
    "entities[]": {
        "id": "Lower-case letters, digits and -.",
        "name": "The name every page shows.",
        "kind": "What it is.",
        "aliases": "Other names briefings write for it, in any case.",
        "wikidata": "Its Wikidata id, e.g. Q30.",
        "roles": "Roles held over time; a quote without a role takes the one in force.",
        "sort_name": "How it sorts, e.g. 'Eide, Espen Barth'.",
    },
    "entities[].roles[]": {
        "role": "The role, e.g. US Secretary of Defense.",
        "of": "The id of the entity it is held in.",
        "from": "First day, YYYY-MM-DD.",
        "to": "Last day, YYYY-MM-DD.",
    },
    "site": {
        "title": "The site's name, in the header and feeds.",
        "description": "One line about the site.",
        "base_url": "Where the site is published, e.g. https://example.org/briefings/.",
        "language": "BCP 47 tag: en, en-GB, uk, fr.",
        "languages": "Every language of the site, BCP 47 tags, the default first: [en, uk].",
        "output_dir": "Where `build` writes; default _site.",
        "timezone": "IANA time zone that decides what today is.",
        "reporting_currency": "The currency totals are converted into.",
        "publisher": "Who publishes the briefings; default: the title.",
        "date_format": "short, medium, long, full or a CLDR pattern (d MMMM y).",
        "page_size": "Briefings per page on the home page.",
        "exchange_rates": "Units of the reporting currency per one unit of a code: EUR: 1.08.",
        "markdown": "Markdown extensions and the contents' depth.",
        "allow_raw_html": "true lets raw HTML through in bodies (dangerous schemes stay refused).",
        "tag_vocabulary": "The tags `import` suggests, with keywords.",
        "media_dir": "Shared images and files, a folder in content/ (default content/media).",
    },
}


@contextmanager
def recording() -> Iterator[list[tuple[str, str, dict[str, object]]]]:
    log: list[tuple[str, str, dict[str, object]]] = []
    schema.RECORDING = log
    try:
        yield log
    finally:
        schema.RECORDING = None


PROBE_BRIEFING = """---
slug: probe
sources: [{}]
events: [{}]
aid: [{}]
quotes: [{}]
updates: [{}]
---
"""
PROBE_ENTITIES = "- roles: [{}]\n"
PROBE_SITE = "markdown: {}\n"


def recorded(kind: str) -> list[tuple[str, str, dict[str, object]]]:
    """What the validator of ``kind`` reads, run on empty entries."""
    from dossier.briefing import load_briefing
    from dossier.markdown import BodyRenderer

    with recording() as log:
        if kind == "briefing":
            config = SiteConfig(title="probe", base_url="https://example.org/")
            load_briefing("content/briefings/probe.md", PROBE_BRIEFING.encode(), config,
                          BodyRenderer())  # fmt: skip
        elif kind == "site":
            parse_config(PROBE_SITE, Problems())
        else:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / entities.ENTITIES_FILE
                path.parent.mkdir(parents=True)
                path.write_text(PROBE_ENTITIES)
                entities.load_entities(Path(tmp))
    return log


def record_name(kind: str, key: str) -> str:
    """``aid[0]`` → ``briefing.aid[]``; ``[0].roles[0]`` → ``entities[].roles[]``."""
    path = re.sub(r"\[\d+\]", "[]", key)
    if kind == "entities":
        return "entities" + path
    return f"{kind}.{path}" if path else kind


def field_schema(read: dict[str, object]) -> dict[str, Any]:
    reader = read.get("reader")
    if reader == "text":
        return dict(TEXT) if not read.get("empty_ok") else {"type": ["string", "number"]}
    if reader == "boolean":
        return {"type": "boolean"}
    if reader == "choice":
        return {"type": "string", "enum": list(read["options"])}  # type: ignore[arg-type]
    if reader == "text_list":
        return _one_or_many(dict(TEXT))
    if reader == "converted":
        parse: Callable[..., object] = read["parse"]  # type: ignore[assignment]
        name = f"{parse.__module__}.{parse.__qualname__}"
        if name == "dossier.money.parse_currency":
            return currency()
        if name == "dossier.config._parse_timezone":
            return timezones()
        return dict(CONVERTERS.get(name, {}))
    return {}


def build_schema(kind: str) -> dict[str, Any]:
    """The schema of one kind of file: ``briefing`` (front matter), ``site``, ``entities``."""
    records: dict[str, dict[str, Any]] = {}
    for key, name, read in recorded(kind):
        record = records.setdefault(
            record_name(kind, key), {"allowed": (), "fields": {}, "required": []}
        )
        if not name:
            record["allowed"] = read["allowed"]
        elif name not in record["fields"]:  # the first reader of a field says what it is
            record["fields"][name] = read
            if read.get("required"):
                record["required"].append(name)

    def obj(path: str) -> dict[str, Any]:
        record = records[path]
        props: dict[str, Any] = {}
        for name in record["allowed"]:
            sub = f"{path}.{name}[]"
            if sub in records:  # a list of entries: sources, roles, …
                prop: dict[str, Any] = {"type": "array", "items": obj(sub)}
            else:
                prop = field_schema(record["fields"].get(name, {}))
            prop.update(EXTRA.get(path, {}).get(name, {}))
            help_ = HELP.get(path, {}).get(name)
            props[name] = {"description": help_, **prop} if help_ else prop
        out: dict[str, Any] = {"type": "object", "properties": props}
        out["additionalProperties"] = False
        if record["required"]:
            out["required"] = [n for n in record["allowed"] if n in record["required"]]
        return out

    top = "entities[]" if kind == "entities" else kind
    body = obj(top)
    titles = {
        "briefing": "Dossier briefing front matter",
        "site": "Dossier site.yaml",
        "entities": "Dossier content/entities.yaml",
    }
    head = {"$schema": DRAFT, "$id": f"https://dossier.invalid/{SCHEMA_FILES[kind]}"}
    head["title"] = titles[kind]
    if kind == "entities":
        return {**head, "type": "array", "items": body}
    return {**head, **body}


def schema_text(kind: str) -> str:
    return json.dumps(build_schema(kind), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write the three schemas into ``folder``; a file already there with other contents
    is an error, never overwritten (the same contents are left as they are)."""
    from dossier.errors import DossierError, Problem

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, name in SCHEMA_FILES.items():
        path = folder / name
        text = schema_text(kind).encode()
        if path.exists():
            if path.read_bytes() == text:
                continue
            raise DossierError(
                [
                    Problem(
                        str(path),
                        None,
                        "",
                        "already exists with other contents; not overwritten",
                        "remove it first to write the new schema",
                    )
                ]
            )
        with open(path, "xb") as f:
            f.write(text)
        written.append(path)
    return written
