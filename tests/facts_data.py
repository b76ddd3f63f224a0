"""Briefings for the facts tests, written from a few fields so each test reads as its case."""

from __future__ import annotations

SITE_YAML = """\
title: Facts
base_url: https://example.org/f/
language: en
date_format: d MMMM y
reporting_currency: USD
exchange_rates: {EUR: "1.10"}
"""


def briefing(
    title: str = "A briefing",
    date: str = "2024-11-21",
    body: str = "Body text [@src].",
    events: str = "",
    aid: str = "",
    quotes: str = "",
    updates: str = "",
    publisher: str = "Wire",
) -> str:
    """Front matter with one source (``src``), then the given lists (YAML, indented)."""
    parts = [
        "---",
        f'title: "{title}"',
        f"date: {date}",
        'summary: "A summary."',
        "tags: [ukraine]",
        "sources:",
        "  - id: src",
        '    title: "A report"',
        f'    publisher: "{publisher}"',
        '    url: "https://example.org/report"',
        "    kind: media",
    ]
    for name, text in (("events", events), ("aid", aid), ("quotes", quotes), ("updates", updates)):
        if text:
            parts.append(f"{name}:")
            parts.append(text.rstrip("\n"))
    parts += ["---", body, ""]
    return "\n".join(parts)


def aid(
    id_: str = "pkg",
    amount: str = "275000000",
    currency: str = "USD",
    donor: str = "United States",
    recipient: str = "Ukraine",
    date: str = "2024-11-20",
    kind: str = "military",
    status: str = "pledged",
    extra: str = "",
) -> str:
    lines = [
        f"  - id: {id_}",
        f"    amount: {amount}",
        f"    currency: {currency}",
        f'    donor: "{donor}"',
        f'    recipient: "{recipient}"',
        f"    date: {date}",
        f"    kind: {kind}",
        f"    status: {status}",
        "    sources: [src]",
    ]
    if extra:
        lines += ["    " + x for x in extra.strip().splitlines()]
    return "\n".join(lines) + "\n"


def event(
    id_: str = "announcement",
    date: str = "2024-11-20",
    label: str = "Austin announces the decision",
    extra: str = "",
) -> str:
    lines = [f"  - id: {id_}", f"    date: {date}", f'    label: "{label}"', "    sources: [src]"]
    if extra:
        lines += ["    " + x for x in extra.strip().splitlines()]
    return "\n".join(lines) + "\n"


def update(ref: str = "pkg", date: str = "2025-01-10", **fields: str) -> str:
    lines = [f"  - ref: {ref}", f"    date: {date}"]
    lines += [f"    {k}: {v}" for k, v in fields.items()]
    lines.append("    sources: [src]")
    return "\n".join(lines) + "\n"


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the n-th line containing ``needle``."""
    found = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return found[nth - 1]


ENTITIES = """\
- id: united-states
  name: United States
  kind: country
  aliases: [US, USA]
- id: ukraine
  name: Ukraine
  kind: country
- id: lloyd-austin
  name: Lloyd Austin
  kind: person
  aliases: [Austin]
  roles:
    - {role: US Secretary of Defense, of: united-states, from: 2021-01-22, to: 2025-01-20}
- id: pete-hegseth
  name: Pete Hegseth
  kind: person
  roles:
    - {role: US Secretary of Defense, of: united-states, from: 2025-01-25}
- id: wire
  name: Wire
  kind: organisation
"""
