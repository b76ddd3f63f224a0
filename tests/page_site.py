"""The shipped site plus one briefing that uses every part of a briefing page.

Shared by the page, browser and quality tests: footnotes (with a citation inside),
a locator, an uncited source, an updated date, a tag with a space, an external
link in the body, and every kind of annotation span.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, run_cli

FEATURES_SLUG = "every-feature"
SEED_SLUG = "us-antipersonnel-mines-ukraine"

FEATURES = """\
---
title: "Every feature of a briefing page"
date: 2024-11-21
updated: 2024-12-02
summary: "Footnotes, a locator, an uncited source and every kind of annotation."
tags: [ukraine, "Military aid"]
sources:
  - id: report
    title: "A wire report"
    publisher: "Wire report (seed article)"
    url: "https://example.org/report"
    kind: media
    published: 2024-11-20
  - id: second
    title: "A ministry statement"
    publisher: "Ministry"
    url: "https://example.org/statement"
    kind: official
  - id: unused
    title: "Background reading"
    publisher: "Library"
    url: "https://example.org/background"
    kind: research
events:
  - id: features-announcement
    date: 2024-11-20
    label: "The announcement"
    sources: [report]
aid:
  - id: pkg
    amount: 275000000
    currency: USD
    donor: "United States"
    recipient: "Ukraine"
    date: 2024-11-20
    kind: military
    status: pledged
    sources: [report, second]
quotes:
  - id: reckless
    who: "A spokesperson"
    role: "Rights group"
    text: "reckless"
    source: second
---
The ministry spoke first [@second], then the wire [@report] and again
[@report, p. 2]. A [$275 million]{.aid ref=pkg} package was
[announced on 20 November 2024]{.event ref=features-announcement}.[^why] Read
[the full report](https://example.org/report) or its [publisher]{.source ref=report}.

## Reactions

A spokesperson called it [“reckless”]{.quote ref=reckless} [@report; @second].

[^why]: The date is the *announcement*, not the signature [@report].
"""


def build_site(root: Path, page_size: int | None = None) -> Path:
    """Copy the shipped site into ``root``, add the features briefing, build; the output.
    A ``page_size`` (replacing the shipped one) makes the home and tag pages run to pages."""
    project, out = root / "project", root / "site"
    project.mkdir(parents=True)
    for name in ("content",):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "site.yaml", project / "site.yaml")
    if page_size is not None:
        settings = (project / "site.yaml").read_text()
        lines = [line for line in settings.splitlines() if not line.startswith("page_size:")]
        (project / "site.yaml").write_text("\n".join([*lines, f"page_size: {page_size}", ""]))
    (project / "content" / "briefings" / f"{FEATURES_SLUG}.md").write_text(FEATURES)
    result = run_cli("build", "--output", out, cwd=project)
    assert result.returncode == 0, result.stderr
    return out
