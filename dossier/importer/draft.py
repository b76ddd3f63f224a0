"""The draft briefing file: hand-formatted YAML front matter plus an annotated body.

Strings are written as JSON-style double-quoted scalars, which YAML reads
verbatim, so YAML 1.1 can never re-type "NO" or "012".  The body is the
article's own paragraphs, escaped so its text cannot become HTML or spans.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from dossier.importer.dates import DateHit
from dossier.importer.extract import (
    Extraction,
    Located,
    amount_id,
    guess_items,
    guess_kind,
    guess_status,
    slugify,
)
from dossier.importer.known import Known
from dossier.importer.labels import event_label
from dossier.importer.money import MoneyHit, format_amount
from dossier.importer.text import clip, escape_markdown
from dossier.machine import clean_text

ARTICLE = "article"
STAGES = ("pledged", "committed", "delivered")


@dataclass(frozen=True)
class SourceInfo:
    url: str = ""
    publisher: str = ""


def q(text: str) -> str:
    """A YAML double-quoted scalar that reads back as ``text``: JSON escapes C0 controls,
    and ``clean_text`` leaves nothing YAML refuses raw (C1 controls, DEL, non-characters)."""
    return json.dumps(clean_text(text), ensure_ascii=False)


def render_draft(
    extraction: Extraction,
    paragraphs: list[str],
    source: SourceInfo,
    known: Known | None = None,
    today: dt.date | None = None,
) -> tuple[str, dict[str, int]]:
    """The whole file text, plus counts for the summary line."""
    known = known or Known()
    spans: dict[int, list[tuple[int, int, str, str]]] = {}
    day = extraction.published or today or dt.date.today()
    how = _comment(extraction.reference or "given with --date")
    date_note = (
        f"  # reference date: {how}"
        if extraction.published
        else "  # no date in the article: set the publication date"
    )
    lines = [
        "---",
        f"title: {q(extraction.title)}",
        f"date: {day.isoformat()}{date_note}",
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
    if extraction.published and ("dateline" in how or "page's" in how):
        lines.append(f"    published: {extraction.published.isoformat()}")
    reasons = []
    if not source.url:
        reasons.append("url: add the article's url")
    if not source.publisher:
        reasons.append("publisher: add who published it")
    reasons.append(
        f"published: the reference date is from {how}"
        if extraction.published
        else "published: the article gives no full date; relative dates were left unresolved"
    )
    lines.append(f"    review: true  # {'; '.join(reasons)}")
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
    tally: dict[str, int] = {}
    lines += _aid(extraction, paragraphs, spans, used, known, tally)
    lines += _quotes(extraction, spans, used, known)
    lines.append("---")
    body = [_annotate(text, spans.get(n, [])) for n, text in enumerate(paragraphs)]
    counts = {
        "events": len({loc.hit.value for loc in extraction.dates if isinstance(loc.hit, DateHit)}),
        "aid": tally.get("aid", 0),
        "references to the site's aid": tally.get("reference", 0),
        "running totals": tally.get("running total", 0),
        "quotes": len(extraction.quotes),
        "sources": 1 + len(org_ids),
    }
    return "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n", counts


def _events(ex: Extraction, spans: dict, used: set[str]) -> list[str]:
    lines = ["events:"] if ex.dates else ["events: []"]
    if ex.unresolved:
        lines.insert(0, "# Dates the article gives only relative to a day it never states, left")
        lines.insert(1, "# unresolved (add them as events once you know the day):")
        for n, loc in enumerate(ex.unresolved):
            lines.insert(
                2 + n, f"#   {_comment(loc.hit.text)!r}: {_comment(clip(loc.sentence, 100))}"
            )
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
                f"    label: {q(event_label(loc.sentence, hit.text))}",
                f"    sources: [{ARTICLE}]",
                f"    evidence: {q(loc.sentence)}",
            ]
            if hit.note:
                lines += [f"    review: true  # date: {_comment(hit.note)}"]
        spans.setdefault(loc.paragraph, []).append((hit.start, hit.end, "event", ids[hit.value]))
    return lines


def _aid(
    ex: Extraction,
    paragraphs: list[str],
    spans: dict,
    used: set[str],
    known: Known,
    tally: dict[str, int],
) -> list[str]:
    lines: list[str] = []
    notes: list[str] = []
    written: dict[int, tuple[str, str]] = {}  # amount index -> (span kind, id)
    for index, (loc, facts) in enumerate(zip(ex.amounts, ex.facts, strict=True)):
        hit = loc.hit
        assert isinstance(hit, MoneyHit)
        if facts.same_as is not None and facts.same_as in written:
            kind, ref = written[facts.same_as]  # the same money, mentioned again
            spans.setdefault(loc.paragraph, []).append((hit.start, hit.end, kind, ref))
            for c in facts.conversions:
                spans.setdefault(loc.paragraph, []).append((c.start, c.end, "nofact", ""))
            continue
        also = ", ".join(c.text for c in facts.conversions)
        for c in facts.conversions:  # the same money in another currency: never a fact
            spans.setdefault(loc.paragraph, []).append((c.start, c.end, "nofact", ""))
        donor, recipient = facts.parties.donor, facts.parties.recipient
        if facts.running_total:
            notes.append(
                f"#   {_comment(hit.text)} ({_comment(donor or 'donor?')} -> "
                f"{_comment(recipient or 'recipient?')}): {_comment(clip(loc.sentence, 110))}"
            )
            spans.setdefault(loc.paragraph, []).append((hit.start, hit.end, "nofact", ""))
            written[index] = ("nofact", "")
            tally["running total"] = tally.get("running total", 0) + 1
            continue
        day_hit = _first_day(ex, loc)
        day = day_hit or ex.published
        fact = known.match(
            hit.amount, hit.currency, donor, day.isoformat() if day else "", facts.package
        )
        if fact is not None:
            notes.append(
                f"#   {_comment(hit.text)} is {fact.id} ({fact.path}): marked as a reference, "
                "not copied"
            )
            status = guess_status(loc.sentence)
            if STAGES.index(status) > STAGES.index(fact.status or "pledged"):
                notes.append(
                    f"#     the article says {status}: if so, add under updates: "
                    f"- {{ref: {fact.id}, date: {(day or ex.published or dt.date.today())}, "
                    f"status: {status}, sources: [{ARTICLE}]}}"
                )
            spans.setdefault(loc.paragraph, []).append((hit.start, hit.end, "aid", fact.id))
            written[index] = ("aid", fact.id)
            tally["reference"] = tally.get("reference", 0) + 1
            continue
        ident = _unique(amount_id(hit.amount, hit.currency), used)
        kind = guess_kind(loc.sentence)
        items = guess_items(paragraphs[loc.paragraph], loc.sentence) if kind == "military" else []
        review: list[str] = []
        if not donor:
            review.append("donor: the text names no donor")
        if not recipient:
            review.append("recipient: the text names no recipient")
        if facts.parties.note:
            review.append(facts.parties.note)
        partial = _partial_date(ex, loc) if day_hit is None else ""
        if partial:
            review.append("date: the month or year its sentence gives")
        elif day is None:
            day = dt.date.today()
            review.append("date: no date in the article; set the amount's date")
        elif day_hit is None:
            review.append("date: the article's date (its sentence gives no day)")
        if hit.note:
            review.append(f"amount: {hit.note}")
        formatted = format_amount(hit.amount)
        lines += [
            f"  - id: {ident}",
            f"    amount: {q(formatted) if isinstance(formatted, str) else formatted}",
            f"    currency: {hit.currency}",
            f"    donor: {q(known.canonical(donor))}",
            f"    recipient: {q(known.canonical(recipient))}",
            f"    date: {q(partial) if partial else day.isoformat()}",  # type: ignore[union-attr]
        ]
        if facts.package:
            lines.append(f"    package: {q(facts.package)}")
        lines += [f"    kind: {kind}"]
        if items:
            lines.append(f"    items: [{', '.join(q(i) for i in items)}]")
        evidence = loc.sentence + (f" [also given as {also}: the same money]" if also else "")
        lines += [
            f"    status: {guess_status(loc.sentence)}",
            f"    sources: [{ARTICLE}]",
            f"    evidence: {q(evidence)}",
        ]
        if review:
            lines.append(f"    review: true  # {_comment('; '.join(review))}")
        spans.setdefault(loc.paragraph, []).append((hit.start, hit.end, "aid", ident))
        written[index] = ("aid", ident)
        tally["aid"] = tally.get("aid", 0) + 1
    head = ["aid:"] if lines else ["aid: []"]
    if notes:
        head = [
            "# Amounts that are not new aid facts here: running totals (never in the totals)",
            "# and amounts the site already records (marked in the body as references):",
            *notes,
            *head,
        ]
    return head + lines


def _quotes(ex: Extraction, spans: dict, used: set[str], known: Known) -> list[str]:
    lines = ["quotes:"] if ex.quotes else ["quotes: []"]
    for hit in ex.quotes:
        who = hit.speaker.label
        ident = _unique(f"{slugify(who.split()[-1] if hit.speaker.name else who, 30)}-1", used)
        entity = known.entity(who) or (
            known.entity(hit.speaker.org) if not hit.speaker.name else None
        )
        role = hit.speaker.role or hit.speaker.org
        on = ex.published or dt.date.today()
        if entity is not None:
            role = entity.role_on(on) or role
        lines += [
            f"  - id: {ident}",
            f"    who: {q(entity.id if entity else who)}",
            f"    role: {q(role)}",
            f"    text: {q(hit.text)}",
            f"    source: {ARTICLE}",
            f"    evidence: {q(hit.evidence)}",
        ]
        review = []
        if hit.note:
            review.append(f"text: {hit.note}")
        if not hit.speaker.name and not entity:
            review.append("who: no named speaker")
        if not role:
            review.append("role: the text gives no role")
        if review:
            lines.append(f"    review: true  # {_comment('; '.join(review))}")
        span = hit.span
        spans.setdefault(hit.paragraph, []).append((span.start, span.end, "quote", ident))
    return lines


def _comment(text: str) -> str:
    """Text safe on one YAML comment line."""
    return " ".join(clean_text(text).split())


def _first_day(ex: Extraction, loc: Located) -> dt.date | None:
    for d in ex.dates:
        if d.sentence == loc.sentence and isinstance(d.hit, DateHit) and d.hit.precision == "day":
            return dt.date.fromisoformat(d.hit.value)
    return None


def _partial_date(ex: Extraction, loc: Located) -> str:
    """A month or year the amount's sentence gives it ("the loan agreed in October 2024"),
    not a deadline ("until 2027")."""
    for d in ex.dates:
        hit = d.hit
        if d.sentence != loc.sentence or not isinstance(hit, DateHit) or hit.precision == "day":
            continue
        before = d.sentence.split(hit.text, 1)[0]
        if not re.search(r"\b(?:until|till|by|through|to|before|from|since)\s+$", before):
            return hit.value
    return ""


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
        attrs = f".{kind} ref={ident}" if ident else f".{kind}"
        out.append(f"[{escape_markdown(text[start:end])}]{{{attrs}}}")
        pos = end
    out.append(escape_markdown(text[pos:]))
    body = "".join(out)
    return body + f" [@{ARTICLE}]" if any(c[3] for c in chosen) else body


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
