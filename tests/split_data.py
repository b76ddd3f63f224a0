"""A generated site big enough to split: 40 briefings over three years, four publishers,
four speakers and five donors (some in the registry, some not), aid in three currencies
with one package shared by several briefings, one amount dated only by year, and an
update that moves a pledge to delivery. ``EXPECTED`` is what the front matter says,
worked out here without Dossier, for the tests to compare the pages with."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from decimal import Decimal

SITE_YAML = """\
title: Split Briefings
base_url: https://example.org/split/
language: en
date_format: d MMMM y
reporting_currency: USD
page_size: 10
exchange_rates: {EUR: "1.10", GBP: "1.25"}
"""

ENTITIES = """\
- id: wire
  name: Wire Agency
  kind: organisation
  aliases: [Wire]
- id: norland
  name: Norland
  kind: country
- id: eastmere
  name: Eastmere
  kind: country
- id: valdoria
  name: Valdoria
  kind: country
- id: mara-oyelaran
  name: Mara Oyelaran
  kind: person
"""

PUBLISHERS = ["Wire", "Daily Ledger", "Policy Review", "Field Notes"]
SPEAKERS = ["Mara Oyelaran", "Teodor Vasko", "Ines Calder", "Dana Whitfield"]
DONORS = ["Norland", "Eastmere", "Harbor Foundation", "Kestria Aid Office", "Valen Treasury"]
CANONICAL = {"Wire": "Wire Agency"}  # the registry's name for an alias
RATES = {"USD": Decimal(1), "EUR": Decimal("1.10"), "GBP": Decimal("1.25")}
STAGES = ("pledged", "committed", "delivered")
COUNT = 40


def _briefing(i: int, rng: random.Random) -> tuple[str, dict]:
    day = dt.date(2023, 1, 5) + dt.timedelta(days=i * 23)
    slug = f"b{i:02d}"
    sources = [
        {
            "id": f"s{k}",
            "title": f"Report {i}-{k}",
            "publisher": rng.choice(PUBLISHERS),
            "url": f"https://example.org/{slug}/{k}",
            "kind": rng.choice(["media", "official", "ngo"]),
        }
        for k in range(3)
    ]
    sources.append(  # one source every briefing cites
        {
            "id": "common",
            "title": "The common reference",
            "publisher": "Wire",
            "url": "https://example.org/common",
            "kind": "research",
        }
    )
    aid = []
    for k in range(2):
        aid.append(
            {
                "id": f"{slug}-a{k}",
                "amount": rng.randrange(1, 90) * 1_000_000,
                "currency": rng.choice(list(RATES)),
                "donor": DONORS[(i + k) % len(DONORS)],
                "recipient": "Valdoria",
                "date": (day - dt.timedelta(days=rng.randrange(0, 40))).isoformat(),
                "kind": rng.choice(["military", "financial", "humanitarian"]),
                "status": rng.choice(STAGES),
                "sources": ["s0"],
            }
        )
    if i % 5 == 0:  # one package, the same wherever it is annotated: counted once
        aid.append(
            {
                "id": "shared-pkg",
                "amount": 500_000_000,
                "currency": "EUR",
                "donor": "Norland",
                "recipient": "Valdoria",
                "date": "2023-03-14",
                "kind": "financial",
                "status": "committed",
                "sources": ["s1"],
            }
        )
    if i == 7:  # known only to the year: counted in the totals and 2024, drawn in no month
        aid[0]["date"] = "2024"
    quotes = [
        {
            "id": f"q{k}",
            "who": rng.choice(SPEAKERS),
            "role": "spokesperson",
            "text": f"Words number {i}-{k}.",
            "source": "s2",
            "date": day.isoformat(),
        }
        for k in range(rng.randint(1, 2))
    ]
    meta = {
        "title": f"Briefing {i}",
        "date": day.isoformat(),
        "summary": f"Summary {i}.",
        "tags": ["aid"],
        "sources": sources,
        "aid": aid,
        "quotes": quotes,
    }
    if i == 12:
        meta["updates"] = [
            {
                "ref": "b03-a0",
                "date": (day + dt.timedelta(days=1)).isoformat(),
                "status": "delivered",
                "sources": ["s0"],
            }
        ]
    lines = ["---"] + [f"{k}: {json.dumps(v)}" for k, v in meta.items()] + ["---", "Body [@s0]."]
    return slug, {"text": "\n".join(lines) + "\n", "meta": meta}


def files() -> dict[str, str]:
    rng = random.Random(14)
    out = {"content/entities.yaml": ENTITIES}
    for i in range(COUNT):
        slug, b = _briefing(i, rng)
        out[f"content/briefings/{slug}.md"] = b["text"]
    return out


def expected() -> dict:
    """Sources per publisher, quotes per speaker, aid facts per donor, from the files."""
    rng = random.Random(14)
    metas = [_briefing(i, rng)[1]["meta"] for i in range(COUNT)]
    sources: dict[str, set[str]] = defaultdict(set)
    quotes: dict[str, list[str]] = defaultdict(list)
    facts: dict[str, dict] = {}
    for m in metas:
        for s in m["sources"]:
            sources[CANONICAL.get(s["publisher"], s["publisher"])].add(s["url"])
        for q in m["quotes"]:
            quotes[q["who"]].append(q["text"])
        for a in m["aid"]:
            facts[a["id"]] = a
    updated = {u["ref"] for m in metas for u in m.get("updates", [])}
    donors: dict[str, set[str]] = defaultdict(set)
    for a in facts.values():
        donors[a["donor"]].add(a["id"])
    return {
        "sources": dict(sources),
        "quotes": dict(quotes),
        "facts": facts,
        "donors": dict(donors),
        "updated": updated,
        "update_months": {u["date"][:7] for m in metas for u in m.get("updates", [])},
    }
