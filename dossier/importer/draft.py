"""The draft briefing file: hand-formatted YAML front matter plus an annotated body.

Strings are written as JSON-style double-quoted scalars, which YAML reads
verbatim, so YAML 1.1 can never re-type "NO" or "012".  The body is the
article's own paragraphs, escaped so its text cannot become HTML or spans.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from dossier.importer.dates import DateHit
from dossier.importer.extract import (
    Extraction,
    amount_id,
    guess_items,
    guess_kind,
    guess_package,
    guess_parties,
    guess_status,
    slugify,
)
from dossier.importer.money import MoneyHit, format_amount
from dossier.importer.text import clip, escape_markdown
from dossier.machine import clean_text

ARTICLE = "article"


@dataclass(frozen=True)
class SourceInfo:
    url: str = ""
    publisher: str = ""


def q(text: str) -> str:
    """A YAML double-quoted scalar that reads back as ``text``: JSON escapes C0 controls,
    and ``clean_text`` leaves nothing YAML refuses raw (C1 controls, DEL, non-characters)."""
    return json.dumps(clean_text(text), ensure_ascii=False)


def render_draft(
    extraction: Extraction, paragraphs: list[str], source: SourceInfo
) -> tuple[str, dict[str, int]]:
    """The whole file text, plus counts for the summary line."""
    spans: dict[int, list[tuple[int, int, str, str]]] = {}
    lines = [
        "---",
        f"title: {q(extraction.title)}",
        f"date: {extraction.published.isoformat()}",
        f"summary: {q(extraction.summary)}",
        f"tags: [{', '.join(q(t) for t in extraction.tags)}]",
        "draft: true",
        "sources:",
        f"  - id: {ARTICLE}",
        f"    title: {q(extraction.title)}",
        f"    publisher: {q(source.publisher)}",
        f"    url: {q(source.url)}",
        f"    kind: {_publisher_kind(source.publisher)}",
    ]
    if not (source.url and source.publisher):
        lines.append("    review: true  # add the article's url and publisher")
    org_ids: dict[str, str] = {}
    for hit in extraction.quotes:
        org = hit.speaker.org
        if org and org not in org_ids:
            org_ids[org] = _unique(slugify(org, 40), {ARTICLE, *org_ids.values()})
            lines += [
                f"  - id: {org_ids[org]}",
                f"    title: {q(org + ' (as quoted in the article)')}",
                f"    publisher: {q(org)}",
                f"    url: {q(source.url)}",
                f"    kind: {_org_kind(org)}",
            ]
            if not source.url:
                lines.append("    review: true  # add the article's url")
    used: set[str] = {ARTICLE, *org_ids.values()}
    lines += _events(extraction, spans, used)
    lines += _aid(extraction, paragraphs, spans, used)
    lines += _quotes(extraction, spans, used)
    lines.append("---")
    body = [_annotate(text, spans.get(n, [])) for n, text in enumerate(paragraphs)]
    counts = {
        "events": len({loc.hit.value for loc in extraction.dates if isinstance(loc.hit, DateHit)}),
        "aid": len(extraction.amounts),
        "quotes": len(extraction.quotes),
        "sources": 1 + len(org_ids),
    }
    return "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n", counts


def _events(ex: Extraction, spans: dict, used: set[str]) -> list[str]:
    lines = ["events:"] if ex.dates else ["events: []"]
    ids: dict[str, str] = {}
    for loc in ex.dates:
        hit = loc.hit
        assert isinstance(hit, DateHit)
        if hit.value not in ids:
            ids[hit.value] = _unique(f"event-{hit.value}", used)
            date = hit.value if hit.precision == "day" else q(hit.value)
            lines += [
                f"  - id: {ids[hit.value]}",
                f"    date: {date}",
                f"    label: {q(clip(loc.sentence, 100))}",
                f"    sources: [{ARTICLE}]",
                f"    evidence: {q(loc.sentence)}",
            ]
            if hit.note:
                lines += [f"    review: true  # {hit.note.replace(chr(10), ' ')}"]
        spans.setdefault(loc.paragraph, []).append((hit.start, hit.end, "event", ids[hit.value]))
    return lines


def _aid(ex: Extraction, paragraphs: list[str], spans: dict, used: set[str]) -> list[str]:
    lines = ["aid:"] if ex.amounts else ["aid: []"]
    for loc in ex.amounts:
        hit = loc.hit
        assert isinstance(hit, MoneyHit)
        ident = _unique(amount_id(hit.amount, hit.currency), used)
        donor, recipient = guess_parties(loc.sentence, hit.text)
        day = _first_day(ex, loc) or ex.published
        package = guess_package(loc.sentence, hit.text)
        kind = guess_kind(loc.sentence)
        items = guess_items(paragraphs[loc.paragraph], loc.sentence) if kind == "military" else []
        lines += [
            f"  - id: {ident}",
            f"    amount: {q(str(format_amount(hit.amount)))}"
            if isinstance(format_amount(hit.amount), str)
            else f"    amount: {format_amount(hit.amount)}",
            f"    currency: {hit.currency}",
            f"    donor: {q(donor)}",
            f"    recipient: {q(recipient)}",
            f"    date: {day.isoformat()}",
        ]
        if package:
            lines.append(f"    package: {q(package)}")
        lines += [f"    kind: {kind}"]
        if items:
            lines.append(f"    items: [{', '.join(q(i) for i in items)}]")
        lines += [
            f"    status: {guess_status(loc.sentence)}",
            f"    sources: [{ARTICLE}]",
            f"    evidence: {q(loc.sentence + (' [' + hit.note + ']' if hit.note else ''))}",
        ]
        if not donor or not recipient or hit.note:
            lines.append("    review: true")
        spans.setdefault(loc.paragraph, []).append((hit.start, hit.end, "aid", ident))
    return lines


def _quotes(ex: Extraction, spans: dict, used: set[str]) -> list[str]:
    lines = ["quotes:"] if ex.quotes else ["quotes: []"]
    for hit in ex.quotes:
        who = hit.speaker.label
        ident = _unique(f"{slugify(who.split()[-1] if hit.speaker.name else who, 30)}-1", used)
        lines += [
            f"  - id: {ident}",
            f"    who: {q(who)}",
            f"    role: {q(hit.speaker.role or hit.speaker.org)}",
            f"    text: {q(hit.text)}",
            f"    source: {ARTICLE}",
            f"    evidence: {q(hit.evidence)}",
        ]
        if hit.note or not hit.speaker.name or not (hit.speaker.role or hit.speaker.org):
            lines.append("    review: true")
        span = hit.span
        spans.setdefault(hit.paragraph, []).append((span.start, span.end, "quote", ident))
    return lines


def _first_day(ex: Extraction, loc: object) -> dt.date | None:
    for d in ex.dates:
        if d.sentence == loc.sentence and isinstance(d.hit, DateHit) and d.hit.precision == "day":  # type: ignore[attr-defined]
            return dt.date.fromisoformat(d.hit.value)
    return None


def _unique(base: str, used: set[str]) -> str:
    """``austin-1`` then ``austin-2``; ``event-2024`` then ``event-2024-2``."""
    stem, n = (base[:-2], 1) if base.endswith("-1") else (base, 0)
    candidate = base
    while candidate in used:
        n += 1
        candidate = f"{stem}-{n}"
    used.add(candidate)
    return candidate


def _annotate(text: str, marks: list[tuple[int, int, str, str]]) -> str:
    """Escape the paragraph and wrap every mark in a span; quotes yield to smaller marks."""
    ordered = sorted(marks, key=lambda m: (m[2] == "quote", m[0]))
    chosen: list[tuple[int, int, str, str]] = []
    for mark in ordered:
        if all(mark[1] <= c[0] or mark[0] >= c[1] for c in chosen):
            chosen.append(mark)
    out, pos = [], 0
    for start, end, kind, ident in sorted(chosen):
        out.append(escape_markdown(text[pos:start]))
        out.append(f"[{escape_markdown(text[start:end])}]{{.{kind} ref={ident}}}")
        pos = end
    out.append(escape_markdown(text[pos:]))
    body = "".join(out)
    return body + f" [@{ARTICLE}]" if chosen else body


def _publisher_kind(publisher: str) -> str:
    return _org_kind(publisher) if publisher else "media"


def _org_kind(org: str) -> str:
    low = org.lower()
    if any(w in low for w in ("ministry", "department", "government", "pentagon", "commission",
                              "office", "embassy", "nato", "council", "parliament")):  # fmt: skip
        return "official"
    if any(w in low for w in ("amnesty", "watch", "red cross", "campaign", "foundation",
                              "crescent", "médecins", "oxfam", "save the children")):  # fmt: skip
        return "ngo"
    if any(w in low for w in ("institute", "university", "centre", "center", "studies")):
        return "research"
    return "media" if org else "other"
