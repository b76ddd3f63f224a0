"""Briefings in several languages: which briefing translates which, and what a translation may
change of the facts it repeats.

A translation names its original by slug (``translation_of:``) and repeats the original's
fact ids. The record keeps the original's facts only, so no total counts a fact twice; the
translation may reword what is words (labels, items, packages, quotes, roles, titles), and must
agree on what is the record (amounts, currencies, dates, parties, stages, URLs). A translation
that disagrees, or adds a fact its original lacks, is an error at its line: the fix belongs in
the original, where every language sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from dossier.briefing import Briefing
from dossier.config import SiteConfig
from dossier.entities import Entities
from dossier.errors import Problems

# what each kind of fact must keep from the original (the rest may be translated)
KEPT: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "aid": ("money", "donor", "recipient", "date", "kind", "status", "instrument"),
        "events": ("date", "place", "actors"),
        "quotes": ("who", "source", "date"),
        "sources": ("url", "kind", "published"),
    }
)
PARTIES = frozenset({"donor", "recipient", "place", "actors", "who"})


def link_translations(
    briefings: Sequence[Briefing], config: SiteConfig, problems: Problems
) -> Mapping[str, tuple[Briefing, ...]]:
    """Each briefing's versions by path, the original first and then the translations in the
    order of site.yaml's ``languages``; a briefing without translations has none listed."""
    order = {lang: i for i, lang in enumerate(config.all_languages)}
    originals: dict[str, list[Briefing]] = {}
    for b in briefings:
        if b.translation_of is None:
            originals.setdefault(b.slug, []).append(b)
    versions: dict[str, list[Briefing]] = {}
    for b in sorted(briefings, key=lambda b: b.path):
        if b.translation_of is None:
            continue
        found = [o for o in originals.get(b.translation_of, ()) if o.lang != b.lang]
        if not found:
            same = [o for o in originals.get(b.translation_of, ()) if o.lang == b.lang]
            translated = [t for t in briefings if t.slug == b.translation_of and t.translation_of]
            if same:
                message = f"{b.translation_of!r} is in the same language ({b.lang})"
                hint = "set 'lang:' to the language this translation is written in"
            elif translated:
                message = f"{b.translation_of!r} is itself a translation"
                hint = f"name the original, {translated[0].translation_of!r}"
            else:
                message = f"no briefing has the slug {b.translation_of!r}"
                hint = "name the slug of the original briefing"
            problems.add(b.path, b.line, "translation_of", message, hint)
            continue
        original = found[0]
        group = versions.setdefault(original.path, [original])
        twin = next((t for t in group if t.lang == b.lang), None)
        if twin is not None:
            problems.add(
                b.path,
                b.line,
                "lang",
                f"{original.path} already has a {b.lang} translation, {twin.path}",
                "keep one translation per language",
            )
            continue
        group.append(b)
    out: dict[str, tuple[Briefing, ...]] = {}
    for group in versions.values():
        ordered = (group[0], *sorted(group[1:], key=lambda t: order.get(t.lang, len(order))))
        for b in ordered:
            out[b.path] = ordered
    return MappingProxyType(out)


def originals_of(briefings: Iterable[Briefing]) -> list[Briefing]:
    """The briefings whose facts are the record: every briefing but a translation."""
    return [b for b in briefings if b.translation_of is None]


def versions_in(
    originals: Iterable[Briefing], versions: Mapping[str, tuple[Briefing, ...]], language: str
) -> list[Briefing]:
    """Each original as ``language`` has it: its translation there, or itself."""
    out = []
    for b in originals:
        found = next((v for v in versions.get(b.path, ()) if v.lang == language), b)
        out.append(found)
    return out


def check_translated_facts(
    versions: Mapping[str, tuple[Briefing, ...]], entities: Entities, problems: Problems
) -> None:
    """Every fact a translation writes is its original's, and agrees on the record."""
    resolve: Callable[[str], str] = lambda name: entities.party(name).name  # noqa: E731
    seen: set[str] = set()
    for path, group in sorted(versions.items()):
        if path in seen:
            continue
        seen.update(b.path for b in group)
        original = group[0]
        for translation in group[1:]:
            for kind, kept in KEPT.items():
                mine = {r.id: r for r in getattr(original.annotations, kind)}
                for i, rec in enumerate(getattr(translation.annotations, kind)):
                    there = mine.get(rec.id)
                    key = f"{kind}[{i}]"
                    if there is None:
                        problems.add(
                            translation.path,
                            rec.where.line,
                            key,
                            f"{rec.id!r} is not a fact of the original, {original.path}",
                            "a translation repeats its original's facts; add the fact there",
                        )
                        continue
                    for name in kept:
                        a, b = _value(there, name, resolve), _value(rec, name, resolve)
                        if a != b:
                            problems.add(
                                translation.path,
                                rec.where.line,
                                f"{key}.{name}",
                                f"{_shown(b)} differs from the original's {_shown(a)} "
                                f"({original.path}:{there.where.line})",
                                "a translation keeps the record as the original has it: "
                                "correct the original, or write the same value here"
                                + (" (or add this name as an alias in entities.yaml)"
                                   if name in PARTIES else ""),
                            )  # fmt: skip


def _value(record: Any, name: str, resolve: Callable[[str], str]) -> Any:
    value = getattr(record, name, None)
    if name in PARTIES and value:
        if isinstance(value, tuple):
            return tuple(resolve(v) for v in value)
        return resolve(value)
    return value


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    return repr(str(value)) if value is not None else "nothing"
