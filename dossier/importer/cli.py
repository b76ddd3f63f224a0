"""The ``import`` and ``new`` sub-commands; the lead's main parser supplies ``--project``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from dossier.annotations import is_web_url
from dossier.dates import YEAR_MAX, YEAR_MIN
from dossier.importer.draft import SourceInfo, q, render_draft
from dossier.importer.extract import extract, slugify
from dossier.importer.known import Known, read_site
from dossier.importer.money import ISO_CODES
from dossier.importer.reading import ArticleError, read_article
from dossier.importer.reference import reference_date
from dossier.importer.writing import DraftExists, briefing_path, check_slug, write_new

OK, CONTENT_ERROR, USAGE_ERROR = 0, 1, 2


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    """Register ``import`` and ``new``; each sets ``func(args) -> exit code``."""
    imp = subparsers.add_parser(
        "import",
        help="turn an article (.txt, .md, .html or - for stdin) into a draft briefing",
        description="Extract dates, amounts and quotes from an article into a draft briefing "
        "in content/briefings/<slug>.md (draft: true). Never overwrites.",
    )
    imp.add_argument("article", metavar="ARTICLE", help="a .txt, .md or .html file, or - for stdin")
    imp.add_argument("--date", help="publication date, YYYY-MM-DD (relative dates resolve to it)")
    imp.add_argument("--url", default="", help="the article's http(s) URL")
    imp.add_argument("--publisher", default="", help="who published the article")
    imp.add_argument("--slug", help="file name under content/briefings/ (default: from the title)")
    imp.add_argument("--currency", default="USD", help="ISO 4217 code for a bare '$' (default USD)")
    imp.add_argument("--dry-run", action="store_true", help="print the draft instead of writing it")
    imp.set_defaults(func=run_import)
    new = subparsers.add_parser("new", help="write an empty draft briefing from a template")
    new.add_argument("title", help="the briefing's title")
    new.add_argument("--slug", help="file name under content/briefings/ (default: from the title)")
    new.add_argument("--date", help="publication date, YYYY-MM-DD (default: today)")
    new.add_argument("--dry-run", action="store_true", help="print the draft instead of writing it")
    new.set_defaults(func=run_new)


def run_import(args: argparse.Namespace) -> int:
    err = sys.stderr
    currency = args.currency.upper()
    if currency not in ISO_CODES:
        print(
            f"error: --currency {args.currency!r} is not an ISO 4217 code (e.g. USD, EUR)", file=err
        )
        return USAGE_ERROR
    if args.url and not is_web_url(args.url):
        print(f"error: --url must be an http(s) URL with a host (got {args.url!r})", file=err)
        return USAGE_ERROR
    published = _parse_date(args.date)
    if args.date and published is None:
        print(f"error: --date {args.date!r} is not a real date in YYYY-MM-DD form", file=err)
        return USAGE_ERROR
    try:
        article = read_article(args.article)
    except ArticleError as exc:
        print(f"error: {exc}", file=err)
        return CONTENT_ERROR
    for warning in article.warnings:
        print(f"warning: {warning}", file=err)
    project = Path(args.project)
    ref = reference_date(article, published)
    if ref.date is None:
        print(f"warning: {ref.how}; they are listed in the draft for review", file=err)
    known = read_site(project)
    extraction = extract(
        article,
        ref.date,
        currency=currency,
        vocabulary=load_vocabulary(project),
        people_of=people_of(known),
        reference=ref.how,
    )
    page_url = article.meta.get("url", "")
    if page_url and not is_web_url(page_url):  # the check --url gets, for og:url too
        print(f"warning: the page's og:url {page_url!r} is not an http(s) URL; ignored", file=err)
        page_url = ""
    source = SourceInfo(
        url=args.url or page_url,
        publisher=args.publisher or article.meta.get("publisher", ""),
    )
    if not source.url:
        print(
            "warning: no --url given; the article source is marked 'review: true' until a URL "
            "is added",
            file=err,
        )
    text, counts = render_draft(extraction, list(article.paragraphs), source, known)
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    slug = args.slug if args.slug is not None else slugify(extraction.title)
    return _emit(args, text, slug, f"found {summary}")


def run_new(args: argparse.Namespace) -> int:
    published = _parse_date(args.date) if args.date else dt.date.today()
    if published is None:
        print(f"error: --date {args.date!r} is not a real date in YYYY-MM-DD form", file=sys.stderr)
        return USAGE_ERROR
    text = NEW_TEMPLATE.format(title=q(args.title), date=published.isoformat())
    slug = args.slug if args.slug is not None else slugify(args.title)
    return _emit(args, text, slug, "empty draft")


def _emit(args: argparse.Namespace, text: str, slug: str, summary: str) -> int:
    reason = check_slug(slug)
    if reason:
        print(f"error: slug {slug!r} refused: {reason}", file=sys.stderr)
        return CONTENT_ERROR
    if args.dry_run:
        sys.stdout.write(text)
        print(summary, file=sys.stderr)
        return OK
    path = briefing_path(Path(args.project), slug)
    try:
        write_new(path, text)
    except DraftExists:
        print(f"error: {path} already exists; choose another name with --slug", file=sys.stderr)
        return CONTENT_ERROR
    except OSError as exc:
        print(f"error: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return CONTENT_ERROR
    print(f"wrote {path}: {summary}")
    return OK


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None
    return day if day is not None and YEAR_MIN <= day.year <= YEAR_MAX else None


def people_of(known: Known) -> dict[str, str]:
    """People the registry knows to act for a country or body (a role ``of`` it):
    every name and alias -> that entity's name."""
    found: dict[str, str] = {}
    for entity in known.entities.entries:
        for role in entity.roles:
            party = known.entities.by_id.get(role.of) if role.of else None
            if party is not None:
                for name in (entity.name, *entity.aliases):
                    found.setdefault(name, party.name)
    return found


def load_vocabulary(project: Path) -> dict[str, tuple[str, ...]] | None:
    """``tag_vocabulary`` from the validated site.yaml; None (built-in list) when unset."""
    from dossier.config import load_config
    from dossier.errors import DossierError

    try:
        vocab = load_config(project).tag_vocabulary
    except DossierError:
        return None
    return dict(vocab) or None


NEW_TEMPLATE = """---
# A new draft: replace every TODO. While `draft: true`, the preview shows it and the
# published site leaves it out; `dossier check` refuses a TODO once it is false.
# Each field is explained in Dossier's docs/format.md (and completed by the schema).
title: {title}
date: {date}
summary: "TODO: one or two sentences on what happened and why it matters."
tags: [TODO-topic]
draft: true
sources:
  # Cite a source in the body as [@report] or [see @report, p. 3]; in text as @report.
  - id: report
    title: "TODO: the title of the report or article"
    publisher: "TODO: who published it"
    url: "https://example.org/TODO"
    kind: media  # official, media, ngo, research or other
events:
  # Mark an event in the body as [the words]{{.event ref=event-1}}.
  - id: event-1
    date: {date}
    label: "TODO: what happened"
    sources: [report]
aid:
  # Mark an amount in the body as [$100 million]{{.aid ref=aid-1}}.
  - id: aid-1
    amount: "100 million"
    currency: USD
    donor: "TODO: who gives"
    recipient: "TODO: who receives"
    date: {date}
    kind: military  # military, financial, humanitarian or other
    status: pledged  # pledged, committed or delivered
    sources: [report]
quotes:
  # Mark quoted words in the body as [“the words”]{{.quote ref=quote-1}}.
  - id: quote-1
    who: "TODO: the speaker"
    role: "TODO: their role"
    text: "TODO: the words quoted"
    source: report
---

TODO: write the briefing. On [the day]{{.event ref=event-1}}, TODO pledged
[$100 million]{{.aid ref=aid-1}} [@report]; the speaker said
[“the words quoted”]{{.quote ref=quote-1}}.
"""
