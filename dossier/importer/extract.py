"""From an article to the annotations of a draft: events, aid, quotes, sources, tags.

Every extracted item keeps the sentence it came from as ``evidence``; anything
guessed (a donor left empty, a relative date, a range) is marked for review.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from dossier.importer.dates import DateHit, find_dates
from dossier.importer.money import MoneyHit, find_amounts
from dossier.importer.people import CAP_SEQ, country_name, is_country, is_org
from dossier.importer.quotes import QuoteHit, find_quotes
from dossier.importer.reading import Article
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
_CAPITALS = {
    "Washington": "United States", "Pentagon": "United States", "White House": "United States",
    "Biden administration": "United States", "London": "United Kingdom", "Berlin": "Germany",
    "Paris": "France", "Oslo": "Norway", "Kyiv": "Ukraine", "Brussels": "European Union",
    "Warsaw": "Poland", "Stockholm": "Sweden", "Copenhagen": "Denmark", "Ottawa": "Canada",
    "Tokyo": "Japan", "The Hague": "Netherlands", "Moscow": "Russia",
}  # fmt: skip


@dataclass(frozen=True)
class Located:
    """A hit plus where it sits: paragraph number and the sentence around it."""

    paragraph: int
    sentence: str
    hit: DateHit | MoneyHit


@dataclass
class Extraction:
    title: str
    summary: str
    published: dt.date
    tags: list[str]
    dates: list[Located] = field(default_factory=list)
    amounts: list[Located] = field(default_factory=list)
    quotes: list[QuoteHit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def extract(
    article: Article,
    published: dt.date,
    *,
    currency: str = "USD",
    vocabulary: dict[str, tuple[str, ...]] | None = None,
) -> Extraction:
    """Run every extractor over the article's paragraphs."""
    paragraphs = list(article.paragraphs)
    first = _sentences(paragraphs[0])[0] if paragraphs else ""
    title = article.title or clip(first, 90)
    result = Extraction(title, clip(first, 280), published, tag_text(paragraphs, vocabulary))
    for number, text in enumerate(paragraphs):
        quoted = find_quote_spans(text)
        bounds = split_sentences(text, quoted)
        for hit in find_dates(text, published, [(q.start, q.end) for q in quoted]):
            result.dates.append(Located(number, _sentence_at(text, bounds, hit.start), hit))
        for hit in find_amounts(text, currency):
            result.amounts.append(Located(number, _sentence_at(text, bounds, hit.start), hit))
    result.quotes = find_quotes(paragraphs)
    return result


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


def guess_parties(sentence: str, amount_text: str) -> tuple[str, str]:
    """Donor and recipient named in the sentence, or "" when the sentence does not say."""
    recipient = ""
    after = sentence.split(amount_text, 1)[-1]
    m = re.search(
        r"\b(?:to|for|towards|into|in)\s+(?:the\s+)?([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'-]*)*)", after
    )
    if m and _as_country(m.group(1)):
        recipient = _as_country(m.group(1))
    if not recipient:
        m = re.search(r"\b([A-Z][\w.-]*)[’']s\b", after)
        if m and _as_country(m.group(1)):
            recipient = _as_country(m.group(1))
    donor = ""
    for name, country in _CAPITALS.items():
        if re.search(rf"\b{re.escape(name)}\b", sentence) and country != recipient:
            donor = country
            break
    for m in CAP_SEQ.finditer(sentence):
        phrase = m.group(1)
        candidate = _as_country(phrase) or _as_country(phrase.split()[0])
        if not candidate and is_org(phrase) and not donor:
            candidate = re.sub(r"^The\s+", "", phrase)
        if candidate and candidate != recipient:
            donor = donor or candidate
            break
    if not recipient:
        for m in CAP_SEQ.finditer(sentence):
            candidate = _as_country(m.group(1))
            if candidate and candidate != donor:
                recipient = candidate
                break
    return donor, recipient


def _as_country(phrase: str) -> str:
    phrase = re.sub(r"[’']s$", "", phrase.strip())
    if is_country(phrase):
        return country_name(phrase)
    return _CAPITALS.get(phrase, "") if phrase in {"Kyiv", "Washington"} else ""


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


def guess_package(sentence: str, amount_text: str) -> str:
    after = sentence.split(amount_text, 1)[-1]
    words = r"package|tranche|programme|program|fund|initiative|facility|loan|grant|deal|plan"
    m = re.match(rf"\s*((?:[\w-]+\s+){{0,4}}?(?:{words}))\b", after)
    return m.group(1) if m else ""


def guess_items(paragraph: str, sentence: str) -> list[str]:
    """Items listed after "including"/"comprises" in the amount's sentence or the next one."""
    rest = paragraph.split(sentence, 1)[-1]
    scope = sentence + " " + _sentences(rest.strip())[0] if rest.strip() else sentence
    m = re.search(r"\b(?:including|includes|comprises|consists of|such as)\s+([^.;]+)", scope)
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
