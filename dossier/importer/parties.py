"""Who gives and who receives an amount, only as far as the text says.

A donor is the subject of a giving verb ("Germany will send", "Washington approved"),
the source after "from"/"by" ("aid from Japan"), or an owner ("Germany's package",
"Dutch military support"). A recipient follows "to"/"for"/"into" ("to Ukraine",
"for Ukraine's"), or is the object of a giving verb ("provide Ukraine with",
"send Ukraine"). A sentence that refers back ("The package includes £90m", "Of the
total, …") takes the parties of the amount it refers to, marked as such. Nothing else
is guessed: no "any country in the sentence", no default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dossier.importer.money import ISO_CODES
from dossier.importer.people import (
    CAP_SEQ,
    DEMONYMS,
    country_name,
    is_country,
    is_org,
    parse_who,
)

METONYMS = {
    "Washington": "United States", "Pentagon": "United States", "White House": "United States",
    "Biden administration": "United States", "Trump administration": "United States",
    "Congress": "United States", "London": "United Kingdom", "Downing Street": "United Kingdom",
    "Berlin": "Germany", "Paris": "France", "Oslo": "Norway", "Kyiv": "Ukraine",
    "Warsaw": "Poland", "Stockholm": "Sweden", "Copenhagen": "Denmark", "Ottawa": "Canada",
    "Tokyo": "Japan", "The Hague": "Netherlands", "Moscow": "Russia", "Kremlin": "Russia",
    "Brussels": "European Union", "European Commission": "European Union",
    "Commission": "European Union", "Bundestag": "Germany", "Whitehall": "United Kingdom",
    "European Council": "European Union", "Council of the European Union": "European Union",
    "EU Council": "European Union", "U.S. government": "United States",
    "Department of Defense": "United States", "Defense Department": "United States",
    "State Department": "United States", "Department of State": "United States",
}  # fmt: skip
_LOWER_METONYMS = re.compile(
    "|".join(re.escape(k) for k in sorted(METONYMS, key=len, reverse=True) if not k.istitle())
)
REGIONS = {"Europe", "G7", "G20", "NATO", "the West"}
DEMONYMS_ONLY = set(DEMONYMS) - {"U.S.", "US", "UK", "U.K.", "EU"}
GIVE = (
    r"pledged|pledges|pledge|announced|announces|announce|gave|gives|give|giving|provided|"
    r"provides|provide|providing|committed|commits|commit|allocated|allocates|allocate|"
    r"approved|approves|approve|contributed|contributes|contribute|contributing|donated|"
    r"donates|donate|sent|sends|send|sending|offered|offers|offer|promised|promises|promise|"
    r"earmarked|unveiled|unveils|granted|grants|disbursed|disburses|disburse|delivered|"
    r"delivers|deliver|spent|spends|spend|transferred|lent|lends|lend|signed|set aside|"
    r"made available|released|releases|mobilised|mobilized|channelled|channeled|extended|"
    r"authorized|authorised|budgeted|appropriated|added|adds|supplied|supplies|supply|"
    r"has given|will give|is giving|are giving|to give|to provide|to send|to contribute|"
    r"given|extend|extends|extending|announcing|paid out|paid|pays|pay|spending|transfer|transfers|transferring|set aside|earmarks|allocating|lending|loaned|financed|"
    r"finances|finance|funded|funds|fund|decided on|approving|committing|pledging"
)
_GIVE = re.compile(rf"\b(?:{GIVE})\b", re.I)
_BACK = re.compile(
    r"^(?:of (?:the|this|that) (?:total|sum|amount|money|package)|of which|the (?:package|"
    r"money|funding|aid|support|sum|amount|tranche|programme|assistance|rest|remainder)|"
    r"this (?:package|money|funding|aid|support|sum|tranche)|it|they|these|the new (?:package|"
    r"funding|aid)|in addition|also|a further|another|including)\b",
    re.I,
)


@dataclass(frozen=True)
class Parties:
    donor: str = ""
    recipient: str = ""
    note: str = ""  # why a reviewer should look: taken from an earlier sentence


def as_party(phrase: str, people_of: dict[str, str] | None = None) -> str:
    """A phrase as a party's name: a country (from its name, demonym or capital used as
    metonym), an organisation, a region; a person known to act for a country; or ""."""
    phrase = re.sub(r"[’']s$", "", phrase.strip()).strip()
    bare = re.sub(r"^(?:The|the|A|An)\s+", "", phrase)
    if bare in ISO_CODES:
        return ""  # "CHF 100 million": a currency, not a party
    for candidate in (phrase, bare):
        if candidate in METONYMS:
            return METONYMS[candidate]
        if is_country(candidate):
            return country_name(candidate)
    if bare in REGIONS:
        return bare
    words = bare.split()
    # "the Norwegian Government", "the UK government", "Dutch Ministry of Defence"
    if (
        words
        and is_country(words[0])
        and (
            len(words) == 1
            or words[1].lower()
            in {"government", "ministry", "cabinet", "parliament", "authorities"}
            or words[1].lower() in {"defence", "defense", "foreign"}
        )
    ):
        return country_name(words[0])
    if people_of and bare in people_of:
        return people_of[bare]
    if is_org(bare) or re.fullmatch(r"[A-Z][A-Z0-9]{1,5}", bare):
        who = parse_who(bare)
        if who and who.org:
            return who.org
        return bare
    return ""


# A demonym names a party only before words for a state's own bodies or people:
# "Ukrainian cities", "the Dutch government", but not "the Danish model" or "Russian assets".
_DEMONYM_HEADS = re.compile(
    r"\s+(?:government|authorities|ministry|army|armed|forces|military|people|cities|towns|"
    r"regions|companies|manufacturers|industry|firms|soldiers|troops|hospitals|schools|"
    r"energy|grid|budget|state|defence|defense|air force|navy|treasury|parliament|cabinet|"
    r"partners|officials|producers|factories)\b",
    re.I,
)


def _parties_in(text: str, people_of: dict[str, str] | None) -> list[tuple[int, int, str]]:
    found = []
    for m in CAP_SEQ.finditer(text):
        phrase = m.group(1)
        start, end = m.start(1), m.end(1)
        # "International Committee of the Red Cross": one name across "of the"
        tail = re.match(r"\s+of\s+the\s+([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)", text[end:])
        if tail and is_org(phrase):
            phrase, end = phrase + tail.group(0), end + tail.end()
        words = phrase.split()
        while len(words) > 1 and (words[-1] in ISO_CODES or words[-1] in {"of", "for", "to"}):
            end -= len(words[-1]) + 1  # "Sweden SEK 600 million", "Norway of NOK 100 million"
            words.pop()
        phrase = " ".join(words)
        bare = re.sub(r"[’']s$", "", phrase)
        if bare in DEMONYMS_ONLY and not _DEMONYM_HEADS.match(text[end:]):
            continue
        name = as_party(phrase, people_of)
        link = re.search(r"\s+(?:of|for|to)\s+", phrase)
        if not name and link and as_party(phrase[: link.start()], people_of):
            # "Norway of NOK 100 million": the name before the link word
            name = as_party(phrase[: link.start()], people_of)
            end = start + link.start()
        if not name:
            # "U.S. Defense Secretary Lloyd Austin": the country his title names
            who = parse_who(phrase)
            if who and who.name and who.role:
                first = re.sub(r"[’']s$", "", who.role.split()[0])
                name = country_name(first) if is_country(first) else ""
                if not name and people_of:
                    name = people_of.get(who.name, "") or people_of.get(who.name.split()[-1], "")
            elif who and who.name and people_of:
                name = people_of.get(who.name, "") or people_of.get(who.name.split()[-1], "")
        if name:
            found.append((start, end, name))
    for m in re.finditer(r"\bthe West\b", text):
        found.append((m.start(), m.end(), "the West"))
    for m in _LOWER_METONYMS.finditer(text):  # "the Biden administration", "White House"
        if not any(a <= m.start() < b for a, b, _ in found) or True:
            found = [f for f in found if not (m.start() <= f[0] < m.end())]
            found.append((m.start(), m.end(), METONYMS[m.group(0)]))
    return sorted(found)


_PRONOUN = re.compile(
    r"\b(?:it|they|we|(?:his|her|their|its|our) (?:country|government|nation))\s+(?:\w+\s+){0,3}$",
    re.I,
)
_REFERS = re.compile(
    r"\b(?:the first|the second|the last|the remaining|the rest of|of which|including|"
    r"includes|included|of that|of this|of it|comprising|plus)\s+(?:about |around |some |roughly )?$",
    re.I,
)
_AID_WORDS = re.compile(
    rf"\b(?:{GIVE}|aid|support|assistance|funding|funds?|contributions?|package|loans?|grants?|"
    r"tranche|money|financing|pledges?|donations?|share)\b",
    re.I,
)
_NEED = re.compile(
    r"\b(?:needs?|needed|seeks?|sought|requested|asks? for|asked for|appealed for)\s+$"
)


def find_parties(
    sentence: str,
    start: int,
    end: int,
    previous: Parties | None = None,
    people_of: dict[str, str] | None = None,
    others: tuple[tuple[int, int], ...] = (),
    context: str = "",
) -> Parties:
    """Donor and recipient of the amount at ``sentence[start:end]``; ``others`` are the
    other amounts of the sentence, whose own words ("against €64bn from Washington")
    are not this amount's; ``context`` is the text just before the sentence, where "its"
    in "its total support" points."""
    clause_start = max(sentence.rfind("; ", 0, start), 0)
    for _, b in others:
        if b <= start:
            # a previous amount's clause ends at ", and", ", against", ", while" after it
            m = re.search(
                r",\s+(?:and|against|while|whereas|but|compared with)\b|;\s", sentence[b:start]
            )
            if m:
                clause_start = max(clause_start, b + m.start())
    stop = min([a for a, _ in others if a >= end] + [len(sentence)])
    parties = _parties_in(sentence, people_of)
    donor = _donor(sentence, start, end, clause_start, stop, parties, previous)
    recipient = _recipient(sentence, start, end, clause_start, stop, parties, donor)
    note = ""
    if (
        not donor
        and context
        and re.search(
            r"\b(?:its|their)\s+(?:[\w-]+\s+){0,2}(?:support|aid|assistance|contributions?|funding|"
            r"commitments?|help)\b",
            sentence[clause_start:start],
            re.I,
        )
    ):
        # "Japan … has focused on financial help. … its total support … $12 billion"
        named = [p for p in _parties_in(context, people_of) if is_country(p[2])]
        named = [p for p in named if not _is_object(context, p[0])]
        if named:
            donor, note = named[-1][2], "donor: the country 'its' refers to"
    lead = re.sub(r"^[\s,]+", "", sentence[clause_start:start])
    refers_back = bool(_BACK.match(lead)) or bool(
        _REFERS.search(sentence[:start].rstrip(", ") + " ")
    )
    refers_back = refers_back or bool(re.match(r"^\s*Of\b", sentence))
    # ", and C$352 million in humanitarian aid": the list goes on with the same giver
    listed = bool(others) and bool(re.fullmatch(r"[,\s]*(?:and|or|plus|as well as)?\s*", lead))
    if listed and not donor and previous is not None and previous.donor:
        donor = previous.donor
    refers_back = refers_back or bool(
        re.search(
            r"\b(?:of (?:the|this|that) (?:total|package|sum|loan|amount|money)|of which)\b",
            sentence[:start],
            re.I,
        )  # fmt: skip
    )
    if previous is not None and refers_back:
        if not donor and previous.donor:
            donor, note = previous.donor, "donor: taken from the amount this sentence refers to"
        if not recipient and previous.recipient:
            recipient = previous.recipient
            note = note or "recipient: taken from the amount this sentence refers to"
    if donor == recipient:
        recipient = ""
    return Parties(donor, recipient, note)


def is_aid_sentence(sentence: str, amount_text: str = "") -> bool:
    """Words of giving near the amount: a recipient named elsewhere can be meant."""
    pos = sentence.find(amount_text) if amount_text else -1
    if pos < 0:
        return bool(_AID_WORDS.search(sentence))
    return bool(_AID_WORDS.search(sentence[max(0, pos - 80) : pos + len(amount_text) + 60]))


def _at(parties: list[tuple[int, int, str]], pos: int) -> str:
    for s, _, name in parties:
        if s == pos:
            return name
    return ""


def _donor(
    sentence: str,
    start: int,
    end: int,
    clause_start: int,
    stop: int,
    parties: list[tuple[int, int, str]],
    previous: Parties | None,
) -> str:
    after = sentence[end:stop]
    # "the $50 billion G7 loan", "a €1.3bn German package": the owner right after it
    m = re.match(r"^\s*(?:\([^)]*\)\s*)?", after)
    owner = _at(parties, end + m.end()) if m else ""
    if owner and re.match(
        r"^[\w’'-]*(?:\s+[A-Z][\w-]*)*\s+(?:package|loan|fund|aid|support|contribution|grant|"
        r"tranche|facility|pledge|programme|program)\b",
        sentence[end + m.end() :],
    ):
        return owner
    # "aid from Japan", "from Washington"
    m = re.match(r"^[^.;]{0,60}?\bfrom\s+(?:the\s+)?", after)
    if m and _at(parties, end + m.end()) and not re.search(r"\bprofits?\b|\bproceeds\b|\bassets\b",
                                                            after[: m.end()]):  # fmt: skip
        return _at(parties, end + m.end())
    # "Aid from Norway of NOK 100 million"
    for s_, e, name in parties:
        if (
            clause_start <= s_
            and e <= start
            and re.search(
                r"\b(?:aid|support|assistance|funding|money|contributions?|package|pledges?|loans?|"
                r"grants?|donations?)\s+from\s+(?:the\s+)?$",
                sentence[:s_],
                re.I,
            )
        ):
            return name
    # "the $2.5 billion that Washington approved", "… that Prime Minister Justin Trudeau announced"
    m = re.match(r"^[^.;]{0,40}?\b(?:that|which)\s+(?:the\s+)?", after)
    if m:
        name = _at(parties, end + m.end())
        rest = sentence[end + m.end() :]
        if name and re.match(rf"^[\w.’' -]{{0,60}}?\b(?:{GIVE})\b", rest):
            return name
        if not name and re.match(rf"^(?:[A-Z][\w.’'-]*\s+){{1,5}}(?:{GIVE})\b", rest):
            if previous is not None and previous.donor:
                return previous.donor  # an official of the donor already named
    # "Germany's €1.3bn package", "Sweden's eighteenth military support package … worth",
    # "Dutch military support has reached …", "the EU's ammunition plan … a budget of"
    for s, e, name in reversed(parties):
        if e <= start and s >= max(clause_start, start - 120):
            rest = sentence[e:start]
            if re.match(
                r"^(?:[’']s\s+(?:[\w-]+\s+){0,4}?|\s+(?:[\w-]+\s+){0,2}?)(?:aid|support|assistance|"
                r"contributions?|funding|share|spending|package|plan|loan|pledge|budget|"
                r"programme|program|commitments?|fund)\b",
                rest,
            ) and not _is_object(sentence, s):
                return name
            if sentence[s:e].endswith(("’s", "'s")) and not rest.strip():
                return name  # "The G7's $50 billion loan"
    # "Denmark will provide DKK 750 million and Sweden SEK 600 million": the giver
    # stands right before its amount, the verb shared
    for s_, e, name in parties:
        if (
            e <= start
            and not sentence[e:start].strip()
            and re.search(r"(?:\band|,)\s+(?:the\s+)?$", sentence[:s_])
        ):
            return name
    # the subject of the last giving verb before the amount
    verbs = list(_GIVE.finditer(sentence, clause_start, start))
    if verbs:
        verb = verbs[-1]
        if _PRONOUN.search(sentence[: verb.start()]):
            # "Switzerland, which is …, said it would provide": the sentence's subject
            subject = [
                p for p in parties if p[1] <= verb.start() and not _is_object(sentence, p[0])
            ]
            if subject:
                return subject[0][2]
            return previous.donor if previous else ""
        subject = [p for p in parties if p[1] <= verb.start() and not _is_object(sentence, p[0])]
        if subject:
            s, e, name = subject[-1]
            between = sentence[e : verb.start()]
            if re.search(r"(?:\band|,)\s+(?:the\s+)?$", sentence[:s]) and any(
                p[1] <= s and re.fullmatch(r"\s*(?:,|and)\s*(?:the\s+)?", sentence[p[1] : s])
                for p in parties
            ):
                return ""  # "Denmark and Sweden will finance …": two givers, to review
            if not re.search(r"[;:]|\bsaid\b", between) and len(between) < 120:
                return name
        elif (
            previous is not None
            and previous.donor
            and re.search(
                r"\b(?:[A-Z][a-z]+ )?(?:Secretary|Minister|Chancellor|Government|government|ministry|"
                r"Ministry|President|Prime Minister|Commissioner|administration)\b",
                sentence[clause_start : verb.start()],
            )
        ):
            return previous.donor  # "the Chancellor set aside …": the donor's own official
    # passive: "$2.26 billion approved by London", "shipments … had been delivered"
    m = re.match(rf"^[^.;]{{0,40}}?\b(?:{GIVE})\s+by\s+(?:the\s+)?", after, re.I)
    if m and _at(parties, end + m.end()):
        return _at(parties, end + m.end())
    if re.match(rf"^[^.;]{{0,40}}?\b(?:had been|has been|have been|was|were|will be)\s+(?:{GIVE})\b",
                after, re.I):  # fmt: skip
        subject = [p for p in parties if p[1] <= start and not _is_object(sentence, p[0])]
        if subject:
            return subject[0][2]
    return ""


def _is_object(sentence: str, pos: int) -> bool:
    """The phrase at ``pos`` follows "to", "for", "into", "with", "against" or a verb
    of giving (an indirect object: "send Ukraine"), so it cannot be the subject."""
    head = sentence[:pos]
    if re.search(r"\b(?:to|for|into|with|against|toward|towards|in|on|at|of|from|help|"
                 r"helping|by|than|after|under)\s+(?:the\s+)?$", head, re.I):  # fmt: skip
        return True
    return bool(re.search(rf"\b(?:{GIVE})\s+$", head, re.I))


def _recipient(
    sentence: str,
    start: int,
    end: int,
    clause_start: int,
    stop: int,
    parties: list[tuple[int, int, str]],
    donor: str,
) -> str:
    after = sentence[end:stop]
    cut = re.search(r";|\.\s|,\s+(?:and|but|while|which|as|after|before|when)\b|—", after)
    scope = after[: cut.start()] if cut else after
    pattern = re.compile(
        r"\b(?:to|for|towards|into|in support of|to help|to support|help|helping|supporting|"
        r"boosting|to boost|to strengthen|strengthening|backing|with|rebuilding|rebuild|"
        r"repairing|to repair|defending|to defend|arming|equipping)\s+(?:the\s+|a\s+)?$"
    )
    best_org = ""
    for s, e, name in parties:
        if s < end or s > end + len(scope) or name == donor:
            continue
        if pattern.search(sentence[end:s]) or re.match(r"^[’']s\b", sentence[e:]):
            if is_country(name) or name in REGIONS:
                return name
            best_org = best_org or name
    # "provide Ukraine with $3 billion", "send Ukraine … a €1.3bn package"
    for s, e, name in parties:
        if e <= start and s >= clause_start and name != donor:
            if re.search(rf"\b(?:{GIVE})\s+(?:the\s+)?$", sentence[:s], re.I):
                return name
    # "… package to Ukraine, worth SEK 13.5 billion", "Ukraine needs $15 billion"
    for s, e, name in parties:
        if clause_start <= s < start and name != donor and (is_country(name) or name in REGIONS):
            if re.search(r"\b(?:to|for|into)\s+(?:the\s+)?$", sentence[:s]):
                return name
            if _NEED.search(sentence[e:start]) or re.match(r"^\s+(?:needs?|seeks?|requested)\b",
                                                           sentence[e:]):  # fmt: skip
                return name
    return best_org
