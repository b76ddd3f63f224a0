"""Direct quotes and reported words, each with its speaker.

Attribution looks, in order, right after the quote ("…,” said X" / "…,” X
said"), right before it ("X said: “…”"), at a participle ("…, stating, “…”",
whose speaker is the sentence's subject), at reported words ("X termed the
decision 'reckless'") and at "according to X".  A pronoun resolves to the last
person mentioned; a paragraph that opens with an unattributed quote continues
the previous speaker.  Short unattributed quotes are scare quotes and skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dossier.importer.people import (
    CAP_SEQ,
    PRONOUNS,
    PersonIndex,
    Speaker,
    collect_people,
    is_org,
    parse_who,
)
from dossier.importer.text import QuoteSpan, find_quote_spans, split_sentences

_VERBS = (
    r"said|says|say|told|tells|noted|notes|added|adds|stated|states|asserted|asserts|argued|argues|"
    r"explained|explains|wrote|writes|warned|warns|insisted|insists|stressed|stresses|"
    r"emphasi[sz]ed|emphasi[sz]es|articulated|declared|declares|remarked|observed|commented|"
    r"continued|acknowledged|admitted|claimed|claims|announced|tweeted|posted|urged|urges|replied|"
    r"responded|concluded|highlighted|recalled|cautioned|predicted|pointed out|vowed|promised|"
    r"conceded|countered|asked|recounted|maintained|contended|suggested|told reporters|"
    r"said in a statement|wrote in|posted on"
)
_PARTICIPLES = (
    r"saying|stating|adding|noting|arguing|warning|telling|insisting|stressing|emphasi[sz]ing|"
    r"declaring|calling|labell?ing|describing|terming|branding|dubbing|asserting|explaining|"
    r"writing|urging|vowing|promising|calling it|accusing|welcoming|praising|criticising|"
    r"criticizing"
)
_REPORTED = r"termed|called|labell?ed|described|dubbed|branded|denounced|condemned|deemed"
_ROLE_NOUN = (
    r"official|spokesperson|spokesman|spokeswoman|minister|secretary|ministry|department|diplomat|"
    r"analyst|source|officer|commander|statement|report|researcher|expert|adviser|advisor|"
    r"lawmaker|senator|envoy|ambassador|director|chief|leader|president|group|organi[sz]ation"
)
_CAP = CAP_SEQ.pattern
_ADV = r"(?:\s+(?:\w+ly|also|later|then|once|previously|has|have|had|again))?"
_LOWER_WHO = (
    rf"(?:the|a|an)\s+(?:[\w.’'-]+\s+){{0,5}}?(?:{_ROLE_NOUN})s?\b(?:\s+(?:for|at|of)\s+{_CAP})?"
)
_WHO = rf"(?P<who>\b(?:{'|'.join(sorted(PRONOUNS))})\b|{_CAP}|{_LOWER_WHO})"
_APPOSITIVE = r"(?:,\s+(?P<app>(?:the|a|an|who is|its)\s+[^,.;:“”\"]{3,90}),)?"
_AFTER_INVERTED = re.compile(
    rf"^\s*[,—–-]?\s*(?:{_VERBS})\s+{_WHO}(?:,\s+(?P<app>(?:the|a|an)\s+[^,.;:“”\"]{{3,90}}))?"
)
_AFTER_DIRECT = re.compile(rf"^\s*[,—–-]?\s*{_WHO}{_APPOSITIVE}{_ADV}\s+(?:{_VERBS})\b")
_BEFORE_DIRECT = re.compile(
    rf"{_WHO}{_APPOSITIVE}{_ADV}\s+(?:{_VERBS})(?:\s+(?:on|in|to)\s+[\w\s’'.-]{{1,40}}?|\s+\w+)?"
    rf"\s*[,:—–-]?\s*(?:that\s+)?$"
)
_BEFORE_REPORTED = re.compile(rf"{_WHO}{_ADV}\s+(?:{_REPORTED})\b[^“”\"‘]{{0,90}}$")
_PARTICIPLE = re.compile(rf"\b(?:{_PARTICIPLES})\b[^.;“”\"]{{0,90}}$")
_BEFORE_PARTICIPLE = re.compile(rf"\bwith\s+{_WHO}\s+(?:{_PARTICIPLES})\b[^.;“”\"]{{0,90}}$")
_BEFORE_LOOSE = re.compile(rf"{_WHO}{_APPOSITIVE}{_ADV}\s+(?:{_VERBS})\b[^“”\"]{{0,120}}$")
_LEAD_IN = re.compile(rf"{_WHO}{_APPOSITIVE}{_ADV}\s+(?:{_VERBS})\s*:\s*$")
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .,'’()-]{2,60}?\s+[—–-]+\s+")
_ACCORDING = re.compile(rf"\baccording to\s+{_WHO}{_APPOSITIVE}")


@dataclass(frozen=True)
class QuoteHit:
    paragraph: int
    span: QuoteSpan
    text: str
    speaker: Speaker
    evidence: str
    note: str = ""


# A transcript's speaker label: "The Secretary of State for Defence (John Healey): …",
# "James Cartlidge (South Suffolk) (Con): …", "John Healey: …".
_LABEL = re.compile(
    r"^(?:(?P<title>(?:The\s+)?[A-Z][\w.,'’ -]{2,80}?)\s*\((?P<named>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3})\)"
    r"|(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}))(?:\s*\([^()]{1,40}\))*\s*:\s+(?=\S)"
)


def speaker_label(paragraph: str) -> Speaker | None:
    """The speaker a transcript paragraph opens with, or None."""
    m = _LABEL.match(paragraph)
    if not m:
        return None
    if m.group("named"):
        title = re.sub(r"^The\s+", "", m.group("title").strip())
        first = parse_who(title)
        if first is not None and first.name and not first.role:
            return Speaker(name=first.name)  # "James Cartlidge (South Suffolk) (Con)"
        return Speaker(name=m.group("named").strip(), role=title)
    who = parse_who(m.group("name"))
    if who is None or not who.name or len(who.name.split()) < 2:
        return None
    return Speaker(name=who.name, role=who.role)


def find_quotes(paragraphs: list[str]) -> list[QuoteHit]:
    """Quotes in all paragraphs; two passes so a name learned later still resolves pronouns."""
    index = PersonIndex()
    for text in paragraphs:
        collect_people(text, index)
        label = speaker_label(text)
        if label is not None:
            index.add(label.name, label.role)
    _attribute_all(paragraphs, index)  # learns bare names used as speakers
    return _attribute_all(paragraphs, index)


def _attribute_all(paragraphs: list[str], index: PersonIndex) -> list[QuoteHit]:
    index.mentions.clear()
    offset = 0
    offsets = []
    for text in paragraphs:
        index.scan(text, offset)
        offsets.append(offset)
        offset += len(text) + 2
    hits: list[QuoteHit] = []
    last: Speaker | None = None
    floor: Speaker | None = None  # in a transcript, who holds the floor
    for number, text in enumerate(paragraphs):
        lead_in = _LEAD_IN.search(paragraphs[number - 1]) if number else None
        here: Speaker | None = None
        label = speaker_label(text)
        if label is not None:
            floor = Speaker(name=label.name, role=index.role_of(label.name) or label.role)
        spans = find_quote_spans(text)
        sentences = split_sentences(text, spans)
        for k, span in enumerate(spans):
            sent_start, sent_end = _sentence_of(sentences, span.start)
            prev_end = spans[k - 1].end if k else 0
            next_start = spans[k + 1].start if k + 1 < len(spans) else len(text)
            before = text[max(sent_start, prev_end) : span.start]
            after_end = next_start if next_start < sent_end else sent_end
            after = text[span.end : max(after_end, span.end)]
            sentence = text[sent_start : max(sent_end, span.end)]
            pos = offsets[number] + span.start
            speaker, note = _attribute(before, after, sentence, pos, index)
            quote = " ".join(span.inner(text).split()).strip(" ,")
            opens = not text[: span.start].strip()
            if speaker is None and opens and lead_in:
                speaker = _resolve(
                    lead_in, offsets[number - 1] + lead_in.start(), index, strict=False
                )
                note = "speaker introduced in the previous paragraph"
            if speaker is None and here and len(quote.split()) > 3:
                speaker, note = here, "same speaker as the quote before it in this paragraph"
            if speaker is None and last and opens and len(spans) <= 2:
                speaker, note = last, "continues the previous speaker's quote"
            if speaker is None and floor is not None:
                speaker, note = floor, "the speaker who has the floor in the transcript"
            if speaker is None:
                continue
            if speaker.name:
                index.add(speaker.name, speaker.role)
            last = here = speaker
            hits.append(QuoteHit(number, span, quote, speaker, " ".join(sentence.split()), note))
    return hits


def _sentence_of(sentences: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for start, end in sentences:
        if start <= pos < end:
            return start, end
    return (0, 0)


def _attribute(
    before: str, after: str, sentence: str, pos: int, index: PersonIndex
) -> tuple[Speaker | None, str]:
    for pattern, text in ((_AFTER_INVERTED, after), (_AFTER_DIRECT, after)):
        m = pattern.search(text)
        if m and (who := _resolve(m, pos, index, strict=False)):
            return who, ""
    for pattern in (_BEFORE_DIRECT, _BEFORE_REPORTED):
        m = pattern.search(before)
        if m and (who := _resolve(m, pos, index, strict=False)):
            return who, ""
    m = _BEFORE_PARTICIPLE.search(before)
    if m and (who := _resolve(m, pos, index, strict=False)):
        return who, ""
    if _PARTICIPLE.search(before) or _PARTICIPLE.search(after[:60]):
        who = _sentence_subject(sentence, pos, index)
        if who:
            return who, "speaker taken from the sentence's subject"
    m = _BEFORE_LOOSE.search(before)
    if m and (who := _resolve(m, pos, index, strict=False)):
        return who, "speaker said more than the quoted words"
    m = _ACCORDING.search(before + " " + after)
    if m and (who := _resolve(m, pos, index, strict=False)):
        return who, ""
    return None, ""


def _resolve(m: re.Match[str], pos: int, index: PersonIndex, *, strict: bool) -> Speaker | None:
    phrase = m.group("who").strip()
    appositive = (m.groupdict().get("app") or "").strip()
    if phrase.lower() in PRONOUNS:
        name = index.last_before(pos)
        return Speaker(name=name, role=index.role_of(name)) if name else None
    if phrase[0].islower():
        return _role_phrase(phrase, appositive, index)
    who = parse_who(phrase)
    if who is None:
        return None
    if who.name:
        full = index.full_name(who.name)
        known = full in index.roles
        if strict and " " not in full and not known:
            return None
        if " " not in full and not known and _common_word(who.name):
            return None
        role = who.role or _clean_role(appositive) or index.role_of(full)
        return Speaker(name=full, role=role, org=_org_in(role))
    if who.org:
        return Speaker(org=who.org)
    return _role_phrase(phrase, appositive, index)


def _role_phrase(phrase: str, appositive: str, index: PersonIndex) -> Speaker:
    """ "the minister" is the last person with that title, else an anonymous speaker."""
    role = _clean_role(phrase)
    for name, known_role in reversed(list(index.roles.items())):
        noun = role.split()[-1].lower() if role else ""
        if noun and noun in known_role.lower() and len(role.split()) <= 2:
            return Speaker(name=name, role=known_role)
    org = _org_in(role)
    if is_org(role) and role == org:
        return Speaker(org=org)
    return Speaker(role=role, org=org)


def _sentence_subject(sentence: str, pos: int, index: PersonIndex) -> Speaker | None:
    head = _DATELINE.sub("", re.split(r"[“\"‘]", sentence, maxsplit=1)[0])
    first = re.match(r"\s*(he|she|they)\b", head, re.I)
    if first:
        name = index.last_before(pos)
        return Speaker(name=name, role=index.role_of(name)) if name else None
    for m in CAP_SEQ.finditer(head):
        who = parse_who(m.group(1))
        if who is None:
            continue
        if who.name:
            full = index.full_name(who.name)
            if full in index.roles or len(full.split()) >= 2:
                return Speaker(name=full, role=who.role or index.role_of(full))
        elif who.org:
            return who
    return None


_COMMON = {
    "the", "but", "and", "this", "that", "in", "on", "at", "despite", "during", "after", "before",
    "while", "when", "as", "for", "if", "critics", "officials", "analysts", "experts", "some",
    "many", "others", "one", "there", "it", "we", "they", "our", "its", "his", "her", "both",
}  # fmt: skip


def _common_word(word: str) -> bool:
    return word.lower() in _COMMON


def _clean_role(role: str) -> str:
    role = re.sub(r"^(?:the|a|an|who is|its)\s+", "", role.strip(), flags=re.I)
    return role.strip(" ,")


def _org_in(role: str) -> str:
    for m in CAP_SEQ.finditer(role):
        if is_org(m.group(1)):
            return re.sub(r"^The\s+", "", m.group(1))
    return ""
