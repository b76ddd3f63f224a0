"""Two briefings that share an event, an aid id and a source, in three currencies."""

from __future__ import annotations

from pathlib import Path

from dossier.build import BuildOptions, build_site

SITE_YAML = """\
title: Test Briefings
base_url: https://example.org/briefings/
language: en
date_format: d MMMM y
reporting_currency: USD
page_size: 1
exchange_rates: {EUR: "1.08", GBP: "1.27"}
"""

BRIEFING_A = """\
---
title: "First briefing on mines"
date: 2024-11-21
summary: "Mines and a package."
tags: [Ukraine, landmines]
sources:
  - id: report
    title: "A report"
    publisher: "Wire"
    url: "https://example.org/report"
    kind: media
events:
  - id: announcement
    date: 2024-11-20
    label: "Announcement in Laos"
    sources: [report]
  - id: month-only
    date: 2024-11
    label: "Talks during November"
    sources: [report]
aid:
  - id: pkg
    amount: 100 million
    currency: USD
    donor: "United States"
    recipient: "Ukraine"
    date: 2024-11-20
    kind: military
    status: pledged
    sources: [report]
  - id: de-grant
    amount: 50000000
    currency: EUR
    donor: "Germany"
    recipient: "Ukraine"
    date: 2024-12
    kind: humanitarian
    status: committed
    sources: [report]
quotes:
  - id: austin
    who: "Lloyd Austin"
    role: "US Secretary of Defense"
    text: "Ukraine has a need for things."
    source: report
    date: 2024-11-20
---
Zebrafinch body text about mines [@report].
"""

BRIEFING_B = """\
---
title: "Second briefing on grants"
date: 2024-12-02
summary: "Grants follow."
tags: [Ukraine]
sources:
  - id: wire
    title: "A report"
    publisher: "Wire"
    url: "https://example.org/report"
    kind: media
  - id: mfa
    title: "Ministry statement"
    publisher: "Government of Norway"
    url: "https://example.org/mfa"
    kind: official
events:
  - id: announcement
    date: 2024-11-20
    label: "Announcement in Laos"
    sources: [wire]
  - id: year-only
    date: 2025
    label: "Review due in 2025"
    sources: [mfa]
aid:
  - id: pkg
    amount: 100000000
    currency: USD
    donor: "United States"
    recipient: "Ukraine"
    date: 2024-11-20
    kind: military
    status: pledged
    sources: [wire]
  - id: uk-loan
    amount: 20 million
    currency: GBP
    donor: "United Kingdom"
    recipient: "Ukraine"
    date: 2025-01-15
    kind: financial
    status: delivered
    sources: [mfa]
quotes:
  - id: eide
    who: "Espen Barth Eide"
    role: "Foreign Minister of Norway"
    text: "very problematic"
    source: mfa
---
Grants body text [@wire] and [@mfa].
"""

FILES = {
    "content/briefings/a.md": BRIEFING_A,
    "content/briefings/b.md": BRIEFING_B,
}


def build(project: Path, out: Path) -> Path:
    build_site(project, BuildOptions(output=out))
    return out
