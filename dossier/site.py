"""All briefings together: ordering, lookups and the checks that span files."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from dossier.briefing import Briefing
from dossier.config import SiteConfig
from dossier.entities import NO_ENTITIES, Entities
from dossier.errors import Problem, Problems
from dossier.facts import AidFact, EventFact, Facts, QuoteEntry, SourceEntry, merge_facts
from dossier.tags import tag_identity, tag_name, tag_slug
from dossier.totals import AidTotals, check_rates, compute_totals
from dossier.translations import (
    check_translated_facts,
    link_translations,
    originals_of,
    versions_in,
)


@dataclass(frozen=True, slots=True)
class Site:
    config: SiteConfig
    briefings: tuple[Briefing, ...]
    by_slug: Mapping[str, Briefing]  # 'slug' in the default language, 'uk/slug' in others
    tags: Mapping[str, tuple[Briefing, ...]]
    tag_names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    facts: Facts = Facts()
    aid_totals: AidTotals | None = None
    entities: Entities = Entities()
    warnings: tuple[Problem, ...] = ()  # found across briefings (names the registry lacks)
    # for each briefing (by path), the facts that hold it: (field of Facts, index)
    holders: Mapping[str, tuple[tuple[str, int], ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # each translated briefing's versions by path: the original first (dossier.translations)
    versions: Mapping[str, tuple[Briefing, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # On a site of several languages, what each language shows (``language_view``); the
    # site itself holds every briefing. A site of one language has none: it is its view.
    views: Mapping[str, Site] = field(default_factory=lambda: MappingProxyType({}))
    language: str = ""  # the language of a view ("" for the whole site)

    def view(self, language: str) -> Site:
        """What the pages in ``language`` show ("" or one language: the site itself)."""
        return self.views.get(language, self) if language else self

    @property
    def folder(self) -> str:
        """Where this view's pages live: '' for the default language, 'uk/' …"""
        return self.config.language_folder(self.language) if self.language else ""

    def __repr__(self) -> str:
        """Identity only, like a briefing's: a template that prints the site (or a filter
        that turns it into text) shows nothing a page's reads would have to follow."""
        shown = f", {self.language}" if self.language else ""
        return f"Site({self.config.title!r}{shown}, {len(self.briefings)} briefings)"

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


def published(briefings: Iterable[Briefing], config: SiteConfig, drafts: bool) -> list[Briefing]:
    """Drafts and future-dated briefings appear only in a drafts build (the preview)."""
    if drafts:
        return list(briefings)
    today = config.today()
    return [b for b in briefings if not b.draft and b.date <= today]


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


def assemble(
    config: SiteConfig,
    briefings: Iterable[Briefing],
    entities: Entities = NO_ENTITIES,
    totals: AidTotals | None = None,
) -> Site:
    """Order briefings newest first and check what no single file can check alone.

    ``totals`` are the aid totals when the caller knows them already (the engine
    remembers them while no front matter changes); they are computed otherwise."""
    problems = Problems()
    ordered = sorted(briefings, key=lambda b: (b.date, b.title, b.slug), reverse=True)
    by_slug: dict[str, Briefing] = {}
    folded: dict[str, Briefing] = {}
    for b in sorted(ordered, key=lambda b: b.path):
        key = b.folder + b.slug  # a translation may keep its original's slug
        other = by_slug.get(key) or folded.get(key.casefold())
        if other is not None:
            problems.add(
                b.path,
                b.line,
                "slug",
                f"slug {b.slug!r} is already used by {other.path}",
                "two briefings cannot share a URL; set a different 'slug:'",
            )
            continue
        by_slug[key] = b
        folded[key.casefold()] = b
    check_tag_urls(by_slug.values(), problems)
    versions = link_translations(ordered, config, problems)
    check_translated_facts(versions, entities, problems)
    facts = merge_facts(originals_of(ordered), entities, problems)  # one record, not one a language
    check_rates(facts.aid, config, problems)
    problems.raise_if_errors()
    tags, tag_names = _tags(ordered, entities)
    site = Site(
        config=config,
        briefings=tuple(ordered),
        by_slug=MappingProxyType(by_slug),
        tags=tags,
        tag_names=tag_names,
        facts=facts,
        aid_totals=totals if totals is not None else compute_totals(facts.aid, config),
        holders=_holders(facts),
        entities=entities,
        warnings=tuple(problems.warnings),
        versions=versions,
    )
    if not config.languages or len(config.languages) < 2:
        return site
    views = {lang: language_view(site, lang) for lang in config.all_languages}
    return dataclasses.replace(site, views=MappingProxyType(views))


def _tags(
    briefings: Iterable[Briefing], entities: Entities
) -> tuple[Mapping[str, tuple[Briefing, ...]], Mapping[str, str]]:
    """Each tag's briefings (newest first, as given) and its name, by slug."""
    tags: dict[str, list[Briefing]] = defaultdict(list)
    spellings: dict[str, list[str]] = defaultdict(list)
    for b in briefings:
        for t in b.tags:
            spellings[tag_slug(t)].append(t)
        for t in dict.fromkeys(tag_slug(t) for t in b.tags):
            tags[t].append(b)
    names = {
        slug: tag_name(found, (e := entities.resolve(slug)) and e.name)
        for slug, found in sorted(spellings.items())
    }
    return (
        MappingProxyType({k: tuple(v) for k, v in sorted(tags.items())}),
        MappingProxyType(names),
    )


def language_view(site: Site, language: str) -> Site:
    """What the pages in ``language`` show: its briefings (home, tags, archive, feeds), and
    the whole record, each fact as its version in ``language`` words it (a translated label
    or note; the amounts, dates and parties are the original's, dossier.translations).
    The totals are the site's: a translation adds no fact to count."""
    briefings = [b for b in site.briefings if b.lang == language]
    tags, tag_names = _tags(briefings, site.entities)
    record = versions_in(originals_of(site.briefings), site.versions, language)
    facts, holders = site.facts, site.holders
    if any(b.translation_of is not None for b in record):
        facts = merge_facts(record, site.entities, Problems())  # checked as the originals
        holders = _holders(facts)
    return dataclasses.replace(
        site,
        briefings=tuple(briefings),
        tags=tags,
        tag_names=MappingProxyType({**site.tag_names, **tag_names}),
        facts=facts,
        holders=holders,
        language=language,
    )


def site_value(site: Site, name: str) -> Any:
    """A site attribute a page read, as ``reads`` names it: 'uk:briefings' is the Ukrainian
    view's (dossier.reads)."""
    language, _, attribute = name.rpartition(":")
    return getattr(site.view(language), attribute, None)


FACT_LISTS = tuple(f.name for f in dataclasses.fields(Facts))


def _holders(facts: Facts) -> Mapping[str, tuple[tuple[str, int], ...]]:
    """Which facts hold each briefing: a body edit then swaps just those."""
    found: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for name in FACT_LISTS:
        for i, fact in enumerate(getattr(facts, name)):
            for path in {b.path for b in briefings_in(fact)}:
                found[path].append((name, i))
    return MappingProxyType({p: tuple(v) for p, v in found.items()})


def briefings_in(value: Any) -> Iterable[Briefing]:
    """The briefings a fact holds (its ``held`` briefings; tests/test_engine.py checks
    that a refreshed site holds no other)."""
    return value.held


def refreshed(site: Site, current: Mapping[str, Briefing]) -> Site:
    """``site`` with every briefing it holds replaced by ``current``'s for the same path.

    For a body edit, which changes no front matter, so nothing else of the site: the
    preview reuses its last site instead of assembling 5,000 briefings again. Every place
    the site holds a briefing is swapped (tests/test_engine.py walks a refreshed site and
    finds no old briefing); the facts that hold a changed briefing are found through
    ``holders``, not by looking at every fact."""
    changed = {b.path for b in site.briefings if current.get(b.path, b) is not b}
    if not changed:
        return site
    return _swapped(site, current, changed)


def _swapped(site: Site, current: Mapping[str, Briefing], changed: set[str]) -> Site:
    """``refreshed`` for the briefings at ``changed``, in the site and each language view
    (a view's facts may hold briefings of other languages: the facts not translated)."""
    views = {lang: _swapped(v, current, changed) for lang, v in site.views.items()}

    def swap(b: Briefing) -> Briefing:
        return current.get(b.path, b) if b.path in changed else b

    lists: dict[str, list[Any]] = {}
    for path in changed:
        for name, i in site.holders.get(path, ()):
            entries = lists.setdefault(name, list(getattr(site.facts, name)))
            entries[i] = with_current_briefings(entries[i], current)
    facts = dataclasses.replace(site.facts, **{k: tuple(v) for k, v in lists.items()})
    by_slug = dict(site.by_slug)
    tags = dict(site.tags)
    for path in changed:
        new = current[path]
        by_slug[new.folder + new.slug] = new
        for tag in {tag_slug(t) for t in new.tags}:  # the same tags: front matter is the same
            if tag in tags:  # (a view has the tags of its language's briefings only)
                tags[tag] = tuple(map(swap, tags[tag]))
    return dataclasses.replace(
        site,
        briefings=tuple(map(swap, site.briefings)),
        by_slug=MappingProxyType(by_slug),
        tags=MappingProxyType(tags),
        facts=facts,
        versions=(
            with_current_briefings(site.versions, current)
            if changed & site.versions.keys()
            else site.versions
        ),
        views=MappingProxyType(views) if views else site.views,
    )


def with_current_briefings(value: Any, current: Mapping[str, Briefing]) -> Any:
    """Any value built from a site (a page's items) with each briefing in it replaced by
    ``current``'s for its path; parts that hold no old briefing are kept as they are."""
    memo: dict[int, Any] = {}

    def walk(v: Any) -> Any:
        if isinstance(v, Briefing):
            return current.get(v.path, v)
        kind = type(v)
        if kind in (str, int, bool, float, bytes) or v is None:
            return v
        key = id(v)
        if key in memo:
            return memo[key]
        out = v
        if kind is tuple or kind is list:
            items = [walk(x) for x in v]
            if any(a is not b for a, b in zip(items, v, strict=True)):
                out = kind(items)
        elif isinstance(v, Mapping):
            pairs = {k: walk(x) for k, x in v.items()}
            if any(pairs[k] is not v[k] for k in v):
                out = MappingProxyType(pairs)
        elif dataclasses.is_dataclass(v) and not isinstance(v, type):
            fields = {f.name: getattr(v, f.name) for f in dataclasses.fields(v) if f.init}
            new = {k: walk(x) for k, x in fields.items()}
            if any(new[k] is not fields[k] for k in fields):
                out = dataclasses.replace(v, **new)
        memo[key] = out
        return out

    return walk(value)
