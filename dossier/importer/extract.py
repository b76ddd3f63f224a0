"""From an article to the annotations of a draft: events, aid, quotes, sources, tags.

Every extracted item keeps the sentence it came from as ``evidence``; anything
guessed (a donor left empty, a relative date, a range) is marked for review.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal

from dossier.importer.dates import DateHit, find_dates, relative_mentions
from dossier.importer.figures import conversions, is_running_total
from dossier.importer.labels import clip_words
from dossier.importer.money import MoneyHit, find_amounts
from dossier.importer.parties import Parties, as_party, find_parties, is_aid_sentence
from dossier.importer.people import CAP_SEQ, country_name, is_country, parse_who
from dossier.importer.quotes import QuoteHit, find_quotes
from dossier.importer.reading import Article
from dossier.importer.reference import dateline, strip_dateline
from dossier.importer.text import clip, find_quote_spans, split_sentences

DEFAULT_TAGS: dict[str, tuple[str, ...]] = {
    "ukraine": ("ukraine", "kyiv", "ukrainian"),
    "russia": ("russia", "moscow", "kremlin"),
    "landmines": ("landmine", "land mine", "antipersonnel mine", "anti-personnel mine"),
    "military-aid": ("military aid", "military assistance", "weapons", "ammunition"),
    "humanitarian": ("humanitarian", "civilians", "refugees", "relief"),
    "air-defence": ("air defence", "air defense", "patriot"),
    "sanctions": ("sanction",),
    "reconstruction": ("reconstruction", "rebuild"),
    "energy": ("energy", "power grid", "electricity"),
}
_MILITARY = re.compile(
    r"military|weapon|ammunition|artillery|missile|defen[cs]e|tank|mines?\b|armou?red|rocket|drone|"
    r"HIMARS|Javelin|air defen",
    re.I,
)
_HUMANITARIAN = re.compile(
    r"humanitarian|relief|food|shelter|medical|refugee|displaced|winteri", re.I
)
_FINANCIAL = re.compile(r"budget support|loan|grant|financ|macro-financial|guarantee|bond", re.I)
_DELIVERED = re.compile(r"\b(delivered|arrived|shipped|disbursed|handed over|transferred)\b", re.I)
_COMMITTED = re.compile(r"\b(committed|signed|approved|allocated|contracted|agreed)\b", re.I)


@dataclass(frozen=True)
class Located:
    """A hit plus where it sits: paragraph number and the sentence around it."""

    paragraph: int
    sentence: str
    hit: DateHit | MoneyHit


@dataclass(frozen=True)
class AmountFacts:
    """What the text says about one amount: its parties, whether it is a running total,
    and the conversions printed beside it (the same money in another currency)."""

    parties: Parties = Parties()
    running_total: bool = False
    conversions: tuple[MoneyHit, ...] = ()
    package: str = ""
    same_as: int | None = None  # an earlier amount this one mentions again


@dataclass
class Extraction:
    title: str
    summary: str
    published: dt.date | None  # the reference date; None when the article gives none
    tags: list[str]
    dates: list[Located] = field(default_factory=list)
    amounts: list[Located] = field(default_factory=list)  # conversions are not amounts
    quotes: list[QuoteHit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: list[AmountFacts] = field(default_factory=list)  # one per amount
    unresolved: list[Located] = field(default_factory=list)  # relative dates, no reference
    reference: str = ""  # where the reference date came from


def extract(
    article: Article,
    published: dt.date | None,
    *,
    currency: str = "USD",
    vocabulary: dict[str, tuple[str, ...]] | None = None,
    people_of: dict[str, str] | None = None,
    reference: str = "",
) -> Extraction:
    """Run every extractor over the article's paragraphs."""
    paragraphs = list(article.paragraphs)
    first = _sentences(strip_dateline(paragraphs[0]))[0] if paragraphs else ""
    title = article.title or clip_words(first, 90)
    result = Extraction(
        title,
        clip_words(first, 280),
        published,
        tag_text(paragraphs, vocabulary),
        reference=reference,
    )
    people = dict(people_of or {}) | acting_for([article.title, *paragraphs])
    headline = _headline_parties(article.title, currency, people)
    previous: Parties | None = None
    for number, text in enumerate(paragraphs):
        quoted = find_quote_spans(text)
        bounds = split_sentences(text, quoted)
        spans = [(q.start, q.end) for q in quoted]
        for hit in find_dates(text, published, spans):
            result.dates.append(Located(number, _sentence_at(text, bounds, hit.start), hit))
        if published is None:
            for hit in relative_mentions(text, spans):
                result.unresolved.append(
                    Located(number, _sentence_at(text, bounds, hit.start), hit)
                )
        hits = find_amounts(text, currency)
        converts = conversions(text, hits)
        for i, hit in enumerate(hits):
            if i in converts:
                continue
            sentence, offset = _sentence_with_offset(text, bounds, hit.start)
            start = hit.start - offset
            others = tuple(
                (h.start - offset, h.end - offset)
                for h in hits
                if h is not hit and offset <= h.start < offset + len(sentence)
            )
            line = dateline(sentence) if offset == 0 and number == 0 else ""
            parties = find_parties(
                " " * len(line) + sentence[len(line) :],  # "KYIV —" is a place, not a party
                start,
                start + len(hit.text),
                previous,
                people,
                others,
                (paragraphs[number - 1] if number else "")[-400:] + " " + text[:offset],
            )
            if _is_table(text) and previous is not None and not parties.donor:
                # a row of a table lists a part of the package the text named before it
                parties = Parties(
                    previous.donor, previous.recipient, "donor, recipient: from the package above"
                )
            title_parties = headline.get((hit.amount, hit.currency))
            if title_parties and not parties.donor and title_parties.donor:
                parties = Parties(
                    title_parties.donor,
                    parties.recipient or title_parties.recipient,
                    "donor: named in the headline",
                )
            if parties.donor or parties.recipient:
                previous = parties
            extra = tuple(hits[j] for j, k in converts.items() if k == i)
            package = guess_package(sentence, hit.text)
            running = is_running_total(sentence, hit.text)
            again = _mentioned_before(result, hit, text[: hit.start])
            if again is not None:
                first = result.facts[again]
                result.facts[again] = replace(
                    first,
                    package=first.package or package,
                    conversions=first.conversions + extra,
                    parties=_fill(first.parties, parties),
                )
            result.amounts.append(Located(number, " ".join(sentence.split()), hit))
            result.facts.append(AmountFacts(parties, running, extra, package, again))
    _fill_recipients(result, article, currency, people)
    result.quotes = find_quotes(paragraphs)
    return result


def _is_table(paragraph: str) -> bool:
    return paragraph.count("|") >= 4 or bool(re.match(r"^\s*(?:[-•*]|\d+\.)\s", paragraph))


def _headline_parties(
    title: str, currency: str, people: dict[str, str]
) -> dict[tuple[Decimal, str], Parties]:
    """The parties the headline gives an amount ("UK announces £150 million … for Ukraine")."""
    found: dict[tuple[Decimal, str], Parties] = {}
    for hit in find_amounts(title, currency) if title else []:
        parties = find_parties(title, hit.start, hit.end, None, people)
        if parties.donor or parties.recipient:
            found[(hit.amount, hit.currency)] = parties
    return found


def _fill_recipients(
    result: Extraction, article: Article, currency: str, people: dict[str, str]
) -> None:
    """An aid sentence that names no recipient gives to the one the article names for
    its other amounts (or in its headline or first paragraph), marked for review."""
    named = Counter(
        f.parties.recipient
        for f in result.facts
        if f.parties.recipient and not f.parties.note and is_country(f.parties.recipient)
    )
    topic = named.most_common(1)[0][0] if named else ""
    if not topic:
        for text in (article.title, article.paragraphs[0] if article.paragraphs else ""):
            m = re.search(
                r"\b(?:to|for|into|in support of)\s+(?:the\s+)?([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)",
                text,
            )
            if m and as_party(m.group(1), people) and is_country(as_party(m.group(1), people)):
                topic = as_party(m.group(1), people)
                break
    if not topic:
        return
    for i, (loc, facts) in enumerate(zip(result.amounts, result.facts, strict=True)):
        parties = facts.parties
        hit = loc.hit
        assert isinstance(hit, MoneyHit)
        if (
            parties.recipient
            or parties.donor == topic
            or not is_aid_sentence(loc.sentence, hit.text)
        ):
            continue
        note = "; ".join(
            n for n in (parties.note, f"recipient: {topic}, the recipient the article names") if n
        )
        result.facts[i] = replace(facts, parties=Parties(parties.donor, topic, note))


def _mentioned_before(result: Extraction, hit: MoneyHit, before: str) -> int | None:
    """The earlier amount of the same value and currency, unless this one is new money
    ("another $50 million", "a further €1bn")."""
    if re.search(
        r"\b(?:a|an|another|a further|an additional|additional|a second|a new|new|one|each)"
        r"(?:\s+(?:separate|further|earlier|previous|similar))?\s*$",
        before,
        re.I,
    ):
        return None  # "a $725 million package announced on December 2": another one
    for i, loc in enumerate(result.amounts):
        other = loc.hit
        assert isinstance(other, MoneyHit)
        if (other.amount, other.currency) == (hit.amount, hit.currency):
            same = result.facts[i]
            return same.same_as if same.same_as is not None else i
    return None


def _fill(first: Parties, later: Parties) -> Parties:
    if first.donor and first.recipient:
        return first
    return Parties(
        first.donor or later.donor, first.recipient or later.recipient, first.note or later.note
    )


def acting_for(paragraphs: list[str]) -> dict[str, str]:
    """People the article introduces with a country's title ("Dutch Defence Minister
    Kajsa Ollongren"): their full name and surname -> the country."""
    found: dict[str, str] = {}
    for text in paragraphs:
        for m in CAP_SEQ.finditer(text):
            who = parse_who(m.group(1))
            if who and who.name and who.role:
                first = re.sub(r"[’']s$", "", who.role.split()[0])
                if is_country(first) and " " in who.name:
                    found.setdefault(who.name, country_name(first))
                    found.setdefault(who.name.split()[-1], country_name(first))
    return found


def _sentence_with_offset(text: str, bounds: list[tuple[int, int]], pos: int) -> tuple[str, int]:
    for start, end in bounds:
        if start <= pos < end:
            return text[start:end], start
    return text, 0


def _sentences(text: str) -> list[str]:
    bounds = split_sentences(text, find_quote_spans(text))
    return [text[a:b] for a, b in bounds] or [text]


def _sentence_at(text: str, bounds: list[tuple[int, int]], pos: int) -> str:
    for start, end in bounds:
        if start <= pos < end:
            return " ".join(text[start:end].split())
    return " ".join(text.split())


def tag_text(paragraphs: list[str], vocabulary: dict[str, tuple[str, ...]] | None) -> list[str]:
    """Tags whose keywords occur in the article, in vocabulary order."""
    text = " ".join(paragraphs).lower()
    vocab = vocabulary if vocabulary is not None else DEFAULT_TAGS
    return [
        tag
        for tag, words in vocab.items()
        if any(re.search(rf"\b{re.escape(w.lower())}", text) for w in words)
    ]


def guess_kind(sentence: str) -> str:
    if _MILITARY.search(sentence):
        return "military"
    if _HUMANITARIAN.search(sentence):
        return "humanitarian"
    if _FINANCIAL.search(sentence):
        return "financial"
    return "other"


def guess_status(sentence: str) -> str:
    if _DELIVERED.search(sentence):
        return "delivered"
    if _COMMITTED.search(sentence):
        return "committed"
    return "pledged"


_PACKAGE_WORDS = (
    "package|tranche|programme|program|fund|initiative|facility|plan|mechanism|authority|"
    "coalition|instrument"
)
_NAMED = re.compile(
    rf"((?:(?:[A-Z][\w’'&-]*|of|for|the|and)\s+){{0,6}}[A-Z][\w’'&-]*)\s+({_PACKAGE_WORDS})\b"
    rf"|((?:[A-Z][\w’'&-]*\s+(?:(?:of|for|the|and)\s+)*){{1,6}}"
    rf"(?:{_PACKAGE_WORDS.title()}|PDA|USAI))\b"
)


def guess_package(sentence: str, amount_text: str) -> str:
    """The package's own name when the sentence gives one ("Presidential Drawdown
    Authority package", "Ukraine Energy Support Fund"), else "": "the $275 million
    package" or "a military aid package" is a description, not a name."""
    best = ""
    for m in _NAMED.finditer(sentence):
        name = (m.group(1) or m.group(3) or "").strip()
        name = re.sub(r"^(?:(?:The|the|A|An|of|for|and)\s+)+", "", name)
        words = [w for w in name.split() if w[:1].isupper()]
        if not words:
            continue
        if all(is_country(w) or w.endswith(("’s", "'s")) for w in words):
            continue  # "Germany's package", "a British fund"
        if m.start() == 0 and len(words) == 1:
            continue  # the sentence's first word is capitalised anyway
        if m.group(2):
            name = f"{name} {m.group(2)}"
        if len(name) > len(best):
            best = name
    return clip(best, 80) if best and "…" not in clip(best, 80) else ""


def guess_items(paragraph: str, sentence: str) -> list[str]:
    """Items listed after "including"/"comprises" in the amount's sentence or the next one."""
    rest = paragraph.split(sentence, 1)[-1]
    scope = sentence + " " + _sentences(rest.strip())[0] if rest.strip() else sentence
    m = re.search(r"\b(?:including|includes|comprises|consists of|such as)\s+([^.;]+)", scope)
    if m:
        tail = re.search(r",\s+(?:as|while|which|after|before|when|but|officials|to)\b", m.group(1))
        m = re.match(r"(.*)", m.group(1)[: tail.start()] if tail else m.group(1))
    if not m:
        return []
    parts = re.split(r",\s*(?:and\s+|as well as\s+)?|\s+and\s+|\s+as well as\s+", m.group(1))
    lead = re.compile(r"^(?:namely|including|such as|various|the|a|an)\s+", re.I)
    items = []
    for part in parts:
        while lead.match(part.strip()):
            part = lead.sub("", part.strip(), count=1)
        if len(part.strip()) > 2:
            items.append(clip(part.strip(), 60))
    return items[:8]


def slugify(text: str, limit: int = 60) -> str:
    """ASCII, lowercase, hyphens: the shape every id and file name takes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "briefing"


def amount_id(amount: Decimal, currency: str) -> str:
    for exponent, suffix in ((9, "bn"), (6, "m"), (3, "k")):
        if amount >= Decimal(10) ** exponent:
            short = format((amount / Decimal(10) ** exponent).normalize(), "f")
            return f"aid-{currency.lower()}-{short.replace('.', '-')}{suffix}"
    return f"aid-{currency.lower()}-{format(amount.normalize(), 'f').replace('.', '-')}"
