"""All briefings together: ordering, lookups and the checks that span files."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from dossier.briefing import Briefing
from dossier.config import SiteConfig
from dossier.errors import Problems
from dossier.tags import tag_identity, tag_slug
from dossier.views.identity import AidFact, EventFact, Facts, QuoteEntry, SourceEntry, merge_facts
from dossier.views.totals import AidTotals, check_rates, compute_totals


@dataclass(frozen=True, slots=True)
class Site:
    config: SiteConfig
    briefings: tuple[Briefing, ...]
    by_slug: Mapping[str, Briefing]
    tags: Mapping[str, tuple[Briefing, ...]]
    tag_names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    facts: Facts = Facts()
    aid_totals: AidTotals | None = None

    @property
    def latest(self) -> tuple[Briefing, ...]:
        return self.briefings

    @property
    def events(self) -> tuple[EventFact, ...]:
        return self.facts.events

    @property
    def aid(self) -> tuple[AidFact, ...]:
        return self.facts.aid

    @property
    def sources(self) -> tuple[SourceEntry, ...]:
        return self.facts.sources

    @property
    def quotes(self) -> tuple[QuoteEntry, ...]:
        return self.facts.quotes


def check_tag_urls(briefings: Iterable[Briefing], problems: Problems) -> None:
    """Two different tags whose URLs would be the same ('C++' and 'C#' are both tags/c/)
    are an error naming both; one page would silently show the second under the first."""
    first: dict[str, tuple[str, str, str]] = {}  # slug -> identity, name, where
    reported: set[tuple[str, str]] = set()
    for b in sorted(briefings, key=lambda b: b.path):
        for i, tag in enumerate(b.tags):
            slug, identity = tag_slug(tag), tag_identity(tag)
            line = b.tag_lines[i] if i < len(b.tag_lines) else b.line
            seen = first.setdefault(slug, (identity, tag, f"{b.path}:{line}"))
            if seen[0] != identity and (b.path, identity) not in reported:
                reported.add((b.path, identity))
                problems.add(
                    b.path,
                    line,
                    f"tags[{i}]",
                    f"tag {tag!r} and tag {seen[1]!r} ({seen[2]}) would share the page tags/{slug}/",
                    "write them the same way to make them one tag, or rename one",
                )


Totals = Callable[[Sequence[AidFact], SiteConfig], AidTotals]


def assemble(
    config: SiteConfig, briefings: Iterable[Briefing], totals: Totals = compute_totals
) -> Site:
    """Order briefings newest first and check what no single file can check alone.

    ``totals`` computes the aid totals; a build passes one that remembers them between
    builds when no front matter changed."""
    problems = Problems()
    ordered = sorted(briefings, key=lambda b: (b.date, b.title, b.slug), reverse=True)
    by_slug: dict[str, Briefing] = {}
    folded: dict[str, Briefing] = {}
    for b in sorted(ordered, key=lambda b: b.path):
        other = by_slug.get(b.slug) or folded.get(b.slug.casefold())
        if other is not None:
            problems.add(
                b.path,
                b.line,
                "slug",
                f"slug {b.slug!r} is already used by {other.path}",
                "two briefings cannot share a URL; set a different 'slug:'",
            )
            continue
        by_slug[b.slug] = b
        folded[b.slug.casefold()] = b
    tags: dict[str, list[Briefing]] = defaultdict(list)
    names: dict[str, str] = {}
    for b in ordered:
        for t in b.tags:
            names.setdefault(tag_slug(t), t)
        for t in dict.fromkeys(tag_slug(t) for t in b.tags):
            tags[t].append(b)
    check_tag_urls(by_slug.values(), problems)
    facts = merge_facts(ordered, problems)
    check_rates(facts.aid, config, problems)
    problems.raise_if_errors()
    return Site(
        config=config,
        briefings=tuple(ordered),
        by_slug=MappingProxyType(by_slug),
        tags=MappingProxyType({k: tuple(v) for k, v in sorted(tags.items())}),
        tag_names=MappingProxyType(dict(sorted(names.items()))),
        facts=facts,
        aid_totals=totals(facts.aid, config),
    )
