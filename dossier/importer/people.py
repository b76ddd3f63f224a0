"""Who is who in an article: names, roles, organisations and countries.

Rules only: a run of capitalised words is split into a role ("U.S. Defense
Secretary") and a name ("Lloyd Austin") at the last title word; runs that
carry an organisation word ("International", "Ministry") are organisations.
The ``PersonIndex`` remembers where each person was last mentioned, which is
what a pronoun ("he noted") resolves to.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from babel import Locale

_UP = "[" + "".join(c for c in map(chr, range(0x41, 0x530)) if c.isupper()) + "]"
_TOK = rf"(?:[A-Z]\.(?:[A-Z]\.)+|{_UP}[A-Za-z]*\.(?=\s+{_UP})|{_UP}[\w'’-]*\w|{_UP})"
_LINK = r"(?:of|for|to|de|van|von|der|den|bin|al|da|di|du|la|le|ul)"
CAP_SEQ = re.compile(rf"(?<![\w$€£])({_TOK}(?:\s+(?:{_LINK}\s+){{0,2}}{_TOK})*)")
LINK_WORDS = {"of", "for", "to", "de", "van", "von", "der", "den", "bin", "al", "da", "di", "du"}
CALENDAR = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
}  # fmt: skip
PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her"}

ROLE_WORDS = {
    w.lower()
    for w in """Secretary Minister President President-elect Prime Vice Deputy Foreign Defense
    Defence State Chancellor Spokesperson Spokesman Spokeswoman Director Director-General
    General Gen.
    Lt. Col. Maj. Adm. Admiral Commander Chief Head Chair Chairman Chairwoman Commissioner
    Ambassador Senator Sen. Rep. Representative Governor Gov. Mayor Envoy Special King Queen Pope
    Prof. Professor Dr. Mr. Mrs. Ms. Analyst Researcher Fellow Senior Executive Officer Advisor
    Adviser Security National Finance Economy Interior Affairs High Coordinator Staff Joint
    Sergeant Captain Colonel Major Lieutenant Leader Speaker Premier Counsel Press Secretary-General
    Under Assistant Undersecretary Development Humanitarian Relief Emergency Trade Justice
    Economic Armed Forces Operations Policy Programme Program Country Regional Acting Former
    Defense-Secretary Minister-President Chief-of-Staff Lord Sir Dame CEO Spokesmen
    Officials""".split()
}
HONORIFICS = {"mr.", "mrs.", "ms.", "dr.", "sir", "dame", "lord"}
ORG_WORDS = {
    w.lower()
    for w in """International Ministry Department Council Commission Committee Agency Office Watch
    Union Organization Organisation Institute Foundation Fund Bank Pentagon Kremlin Government
    Parliament Campaign Center Centre University Association Coalition Alliance Service Group
    Corps Society Federation Network Mission Cross Crescent Assembly Congress Senate House
    Administration Command Staff Secretariat Board Authority Programme Program Forum Initiative
    Trust Party Embassy Court Times Post Journal Reuters Press Agency Unit School Studies Inc.
    Ltd. Company Corporation Industries Systems Nations""".split()
}
DEMONYMS = {
    "American": "United States", "U.S.": "United States", "US": "United States",
    "British": "United Kingdom", "UK": "United Kingdom", "U.K.": "United Kingdom",
    "German": "Germany", "French": "France", "Ukrainian": "Ukraine", "Russian": "Russia",
    "Norwegian": "Norway", "Dutch": "Netherlands", "Polish": "Poland", "Swedish": "Sweden",
    "Danish": "Denmark", "Finnish": "Finland", "Canadian": "Canada", "Japanese": "Japan",
    "Italian": "Italy", "Spanish": "Spain", "Estonian": "Estonia", "Latvian": "Latvia",
    "Lithuanian": "Lithuania", "Czech": "Czechia", "Belgian": "Belgium", "EU": "European Union",
    "European": "European Union", "Australian": "Australia", "Turkish": "Turkey",
}  # fmt: skip
_TERRITORIES = Locale("en").territories
COUNTRIES = {name for code, name in _TERRITORIES.items() if code.isalpha() and len(code) == 2} | {
    "European Union",
    "Czechia",
    "Britain",
    "America",
    "Turkey",
}
COUNTRY_ALIASES = {
    "Britain": "United Kingdom",
    "America": "United States",
    "Czech Republic": "Czechia",
}


def is_country(token: str) -> bool:
    bare = re.sub(r"['’]s$", "", token)
    return bare in COUNTRIES or bare in DEMONYMS or bare in COUNTRY_ALIASES


def country_name(token: str) -> str:
    bare = re.sub(r"['’]s$", "", token)
    return DEMONYMS.get(bare) or COUNTRY_ALIASES.get(bare) or bare


def is_org(phrase: str) -> bool:
    words = phrase.replace("’s", "").replace("'s", "").split()
    if any(w.lower() in ORG_WORDS for w in words):
        return True
    return (
        len(words) == 1 and bool(re.fullmatch(r"[A-Z]{2,6}", words[0])) and not is_country(words[0])
    )


@dataclass(frozen=True)
class Speaker:
    """A person (name set), an organisation (org set, no name) or only a role."""

    name: str = ""
    role: str = ""
    org: str = ""

    @property
    def label(self) -> str:
        return self.name or self.org or self.role


def _is_title_token(token: str) -> bool:
    bare = re.sub(r"['’]s$", "", token)
    return (
        token.lower() in ROLE_WORDS
        or token.lower().rstrip(".") + "." in ROLE_WORDS
        or bare.lower() in ORG_WORDS
        or is_country(token)
        or token.endswith(("’s", "'s"))
        or bool(re.fullmatch(r"[A-Z]{2,6}|(?:[A-Z]\.)+", token))
    )


def parse_who(phrase: str) -> Speaker | None:
    """Split "U.S. Defense Secretary Lloyd Austin" into role and name."""
    phrase = phrase.strip().strip(",")
    if not phrase:
        return None
    tokens = phrase.split()
    if tokens[0].lower() in PRONOUNS or any(t.lower() in CALENDAR for t in tokens):
        return None
    if is_org(phrase) and not _trailing_name(tokens):
        return Speaker(org=_strip_article(phrase))
    last = max((i for i, t in enumerate(tokens) if _is_title_token(t)), default=-1)
    name_tokens = tokens[last + 1 :]
    role_tokens = [t for t in tokens[: last + 1] if t.lower() not in HONORIFICS]
    if name_tokens and name_tokens[0] in {"of", "for", "to"} and is_org(phrase):
        return Speaker(org=_strip_article(phrase))  # "Campaign to Ban Landmines"
    while name_tokens and name_tokens[0].lower() in LINK_WORDS:
        name_tokens = name_tokens[1:]
    if (
        name_tokens
        and len(name_tokens) <= 5
        and all(t[0].isupper() or t in LINK_WORDS for t in name_tokens)
        and name_tokens[-1][0].isupper()
    ):
        return Speaker(name=" ".join(name_tokens), role=" ".join(role_tokens))
    if role_tokens and all(is_country(t) for t in role_tokens):
        return Speaker(org=country_name(role_tokens[0]))
    return Speaker(role=" ".join(role_tokens)) if role_tokens else None


def _trailing_name(tokens: list[str]) -> bool:
    return bool(tokens) and not _is_title_token(tokens[-1]) and tokens[-1][0].isupper()


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)


@dataclass
class PersonIndex:
    """Known people, by full name and surname, with the offsets of their mentions."""

    roles: dict[str, str] = field(default_factory=dict)
    by_surname: dict[str, str] = field(default_factory=dict)
    mentions: list[tuple[int, str]] = field(default_factory=list)

    def add(self, name: str, role: str = "") -> None:
        if not name:
            return
        if name not in self.roles or (role and not self.roles[name]):
            self.roles[name] = role
        self.by_surname.setdefault(name.split()[-1], name)

    def full_name(self, name: str) -> str:
        if name in self.roles:
            return name
        return self.by_surname.get(name.split()[-1], name) if " " not in name else name

    def role_of(self, name: str) -> str:
        return self.roles.get(self.full_name(name), "")

    def scan(self, text: str, offset: int) -> None:
        """Record every mention of a known person (full name or surname) in ``text``."""
        for surname, full in self.by_surname.items():
            for m in re.finditer(rf"\b{re.escape(surname)}\b", text):
                bisect.insort(self.mentions, (offset + m.start(), full))

    def last_before(self, pos: int) -> str:
        i = bisect.bisect_left(self.mentions, (pos, ""))
        return self.mentions[i - 1][1] if i else ""


def collect_people(text: str, index: PersonIndex) -> None:
    """First pass: names introduced with a title ("Foreign Minister Espen Barth Eide")."""
    for m in CAP_SEQ.finditer(text):
        tokens = m.group(1).split()
        if len(tokens) < 2:
            continue
        who = parse_who(m.group(1))
        if who and who.name and who.role and not is_org(who.name) and not is_country(who.name):
            index.add(who.name, who.role)
    appositive = re.compile(
        rf"({_TOK}(?:\s+{_TOK}){{1,3}}),\s+(?:the\s+|a\s+|an\s+|(?=[A-Z][\w.]*[’']s\s))([^,.;]{{3,90}}),"
    )
    for m in appositive.finditer(text):
        who = parse_who(m.group(1))
        if who and who.name and " " in who.name and not is_org(m.group(1)):
            index.add(who.name, who.role or m.group(2).strip())
