#!/usr/bin/env python3
# A copy of shared/bench/make_corpus.py (the benchmark's corpus generator), used by
# tests/corpus_site.py only when no shared/ folder is beside the checkout; the shared one wins.
"""Deterministic generator of synthetic "annotated briefing" Markdown files.

Usage:
    python make_corpus.py OUT N [--layout LAYOUT] [--meta yaml|keyvalue] [--seed S]

Each briefing i is generated from its own RNG seeded with "<seed>:<i>", so file i
is identical whatever N is (the N=1000 corpus is a prefix of the N=5000 one) and
identical across runs and machines (stdlib only, string seeding is stable).

Layouts (where the Markdown files go under OUT):
    dossier   OUT/content/briefings/briefing-00001.md   (the default: Dossier's format,
              with event and aid ids, source kinds, quotes, [@id] citations and
              [text]{.aid ref=id} spans; about 1 aid id in 8 is shared between
              briefings, always with the same values, to exercise de-duplication)
    plain     OUT/briefing-00001.md            (the same files, flat)
    hugo      OUT/content/posts/briefing-00001.md
    pelican   OUT/content/briefing-00001.md    (defaults to --meta keyvalue)
    mkdocs    OUT/docs/briefing-00001.md       (plus OUT/docs/index.md)
    eleventy  OUT/posts/briefing-00001.md
    jekyll    OUT/_posts/YYYY-MM-DD-briefing-00001.md

Front matter (--meta yaml, the default): a '---' delimited YAML block with
title, slug, date, tags, summary, events, aid, sources.  --meta keyvalue writes
Pelican/Python-Markdown-meta style 'Key: value' headers instead (Pelican reads
YAML front matter only through a plugin); there the structured lists are
written as one-line JSON strings, which Pelican keeps as plain metadata.
Only this script's own files are written; site configs live in sites/.
"""
import argparse
import datetime as dt
import json
import os
import random
import sys

TAGS = [
    "food-security", "energy", "health", "water", "education", "shelter",
    "logistics", "refugees", "demining", "reconstruction", "climate", "drought",
    "floods", "sanctions", "trade", "debt-relief", "budget-support", "security",
    "cyber", "elections", "governance", "anti-corruption", "migration",
    "vaccines", "nutrition", "agriculture", "infrastructure", "telecoms",
    "finance", "loans", "grants", "multilateral", "bilateral", "ngo",
    "un-agencies", "regional-bodies", "g7", "north-region", "south-region",
    "coastal-region",
]
DONORS = [
    "Norland Foreign Ministry", "Eastmere Development Agency", "Union Recovery Fund",
    "World Relief Bank", "Kestria Aid Office", "Southern Development Bank",
    "Harbor Foundation", "Atlas Humanitarian Trust", "Valen Treasury",
    "Greywater Council",
]
RECIPIENTS = [
    "Republic of Valdoria", "Ostrin Province", "Marrow Basin Authority",
    "Coastal Relief Consortium", "Ministry of Health of Tarvel",
    "Lowland Water Board", "Emberlin Refugee Agency", "Port Sella City Council",
]
PACKAGES = [
    "emergency tranche", "winter support package", "reconstruction facility",
    "budget support loan", "grain corridor grant", "health systems grant",
    "energy resilience package", "demining programme", "macro-financial assistance",
]
PUBLISHERS = [
    ("Relief Monitor", "example.org"), ("Daily Ledger", "example.com"),
    ("Policy Review", "example.net"), ("Field Notes Wire", "example.org"),
    ("Donor Tracker", "example.com"), ("Regional Gazette", "example.net"),
]
SOURCE_KINDS = ["official", "media", "ngo", "research", "other"]
AID_KINDS = ["military", "financial", "humanitarian", "other"]
AID_STATUS = ["pledged", "committed", "delivered"]
SHARED_AID = 200
CURRENCIES = ["USD", "EUR", "GBP"]  # --currencies narrows it (a site without exchange rates)
SPEAKERS = [
    ("Mara Oyelaran", "Minister of Finance"), ("Teodor Vasko", "agency spokesperson"),
    ("Ines Calder", "programme director"), ("Ruslan Amari", "regional governor"),
    ("Dana Whitfield", "ambassador"), ("Priya Nandakumar", "senior analyst"),
]
EVENT_LABELS = [
    "Pledging conference held", "Agreement signed", "First disbursement",
    "Parliament approves package", "Ceasefire talks resume", "Flood warning issued",
    "Audit report published", "Convoy reaches district", "Loan terms revised",
    "Ministerial visit", "Tender awarded", "Programme extended",
]
HEADINGS = [
    "Background", "What changed", "Funding picture", "Delivery on the ground",
    "Risks and constraints", "Who is involved", "Timeline notes", "Outlook",
    "Open questions", "Context", "Numbers to watch", "Reactions",
]
WORDS = (
    "aid agency budget convoy corridor council delivery district donor emergency "
    "funding grant household infrastructure logistics ministry network partner "
    "pledge programme province recovery region relief report resilience schedule "
    "shipment supply support system tranche transfer winter water energy grid "
    "clinic school shelter road bridge port harbour market price wage loan debt "
    "audit oversight contract tender procurement monitoring assessment capacity "
    "coordination access security local national international committee mission "
    "official statement minister spokesperson estimate figure increase decrease "
    "delay approval review request commitment disbursement allocation reserve "
    "timeline quarter month week season harvest grain fuel generator pipeline "
    "warehouse stock volunteer team staff field office plan strategy priority "
    "the the the the a a a of of of to to in in and and and for on with by from "
    "is was were has had will would could may after before during while since "
    "new major key first second final remaining additional further planned "
    "expected reported confirmed delayed approved signed announced revised"
).split()


def sentence(rng, lo=8, hi=20, emphasis=True):
    n = rng.randint(lo, hi)
    w = [rng.choice(WORDS) for _ in range(n)]
    w[0] = w[0].capitalize()
    if emphasis and rng.random() < 0.25:  # emphasis now and then
        k = rng.randrange(1, n)
        w[k] = "*%s*" % w[k] if rng.random() < 0.5 else "**%s**" % w[k]
    return " ".join(w) + rng.choice([".", ".", ".", "?"])


def paragraph(rng, lo=3, hi=6):
    return " ".join(sentence(rng) for _ in range(rng.randint(lo, hi)))


def rand_date(rng, start=dt.date(2022, 1, 1), end=dt.date(2026, 10, 31)):
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def q(s):
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s)


def make_briefing(seed, i):
    rng = random.Random("%s:%d" % (seed, i))
    slug = "briefing-%05d" % i
    date = rand_date(rng)
    tags = rng.sample(TAGS, rng.randint(1, 3))
    title = "%s: %s %s %s (#%d)" % (
        rng.choice(["Update", "Briefing", "Explainer", "Brief", "Note"]),
        rng.choice(["Donors", "Ministries", "Agencies", "Partners", "Officials"]),
        rng.choice(["weigh", "approve", "delay", "expand", "review", "fund"]),
        rng.choice(["winter aid", "grain corridor", "grid repairs", "clinic network",
                    "debt terms", "demining work", "water systems", "shelter plan"]),
        i,
    )
    summary = sentence(rng, 12, 24, emphasis=False)
    sources = []
    for k in range(rng.randint(1, 5)):
        pub, host = rng.choice(PUBLISHERS)
        sources.append({
            "id": "%s-s%d" % (slug, k + 1),  # source ids name one source site-wide
            "title": sentence(rng, 4, 9, emphasis=False).rstrip(".?"),
            "publisher": pub,
            "url": "https://%s/%d/%s-%d-%d" % (host, date.year, slug, k + 1, rng.randrange(10**6)),
            "kind": rng.choice(SOURCE_KINDS),
        })
    sids = [x["id"] for x in sources]
    events = []
    for k in range(rng.randint(1, 4)):
        d = date - dt.timedelta(days=rng.randrange(0, 120))
        events.append({"id": "%s-e%d" % (slug, k + 1), "date": d.isoformat(),
                       "label": rng.choice(EVENT_LABELS), "sources": [rng.choice(sids)]})
    events.sort(key=lambda e: e["date"])
    aid = []
    for k in range(rng.randint(0, 3)):
        if rng.random() < 0.125:  # a package that other briefings annotate too
            aid.append(shared_aid(seed, rng.randrange(SHARED_AID), rng.choice(sids)))
            continue
        aid.append({
            "id": "%s-a%d" % (slug, k + 1),
            "amount": rng.randrange(1, 500) * rng.choice([10_000, 100_000, 1_000_000]),
            "currency": rng.choice(CURRENCIES),
            "donor": rng.choice(DONORS),
            "recipient": rng.choice(RECIPIENTS),
            "date": (date - dt.timedelta(days=rng.randrange(0, 60))).isoformat(),
            "package": rng.choice(PACKAGES),
            "kind": rng.choice(AID_KINDS),
            "status": rng.choice(AID_STATUS),
            "sources": [rng.choice(sids)],
        })
    aid = list({a["id"]: a for a in aid}.values())
    quotes = []
    for k in range(rng.randint(0, 2)):
        quotes.append({"id": "%s-q%d" % (slug, k + 1), "who": rng.choice(SPEAKERS)[0],
                       "role": rng.choice(SPEAKERS)[1], "text": sentence(rng, 6, 16, emphasis=False),
                       "source": rng.choice(sids)})
    meta = dict(title=title, slug=slug, date=date.isoformat(), tags=tags,
                summary=summary, events=events, aid=aid, sources=sources, quotes=quotes)
    return meta, make_body(rng, sources, aid)


def shared_aid(seed, j, source_id):
    """Aid package j of a site-wide pool: the same values wherever it is annotated."""
    rng = random.Random("%s:shared-aid:%d" % (seed, j))
    return {
        "id": "shared-aid-%03d" % j,
        "amount": rng.randrange(1, 500) * 1_000_000,
        "currency": rng.choice(CURRENCIES),
        "donor": rng.choice(DONORS),
        "recipient": rng.choice(RECIPIENTS),
        "date": rand_date(rng).isoformat(),
        "package": rng.choice(PACKAGES),
        "kind": rng.choice(AID_KINDS),
        "status": rng.choice(AID_STATUS),
        "sources": [source_id],
    }


def make_body(rng, sources, aid=()):
    target = rng.randint(500, 900)
    nsec = rng.randint(2, 4)
    list_sec = rng.randrange(nsec)
    quote_sec = rng.randrange(nsec)
    table_sec = rng.randrange(nsec) if rng.random() < 0.3 else -1
    nfoot = rng.randint(1, 2)
    foot_secs = sorted(rng.randrange(nsec) for _ in range(nfoot))
    nlinks = rng.randint(1, 2)
    link_secs = [rng.randrange(nsec) for _ in range(nlinks)]
    heads = rng.sample(HEADINGS, nsec)
    out = [paragraph(rng, 2, 4)]
    words = len(out[0].split())
    # paragraphs average ~60 words; list, quote, table and notes add ~80 more
    per_sec = max(50, (target - words - 110) // nsec)
    fn = 0
    for s in range(nsec):
        out.append("## " + heads[s])
        sec_words = 0
        first = True
        while sec_words < per_sec - 30 or first:
            p = paragraph(rng)
            if first:
                p += " [@%s]" % rng.choice(sources)["id"]
                if s < len(aid):
                    a = aid[s]
                    p += " The [%s %s]{.aid ref=%s} %s was %s." % (
                        a["currency"], f"{a['amount']:,}", a["id"], a["package"], a["status"])
                for _ in range(link_secs.count(s)):
                    src = rng.choice(sources)
                    p += " See [%s](%s) for details." % (src["publisher"], src["url"])
                for _ in range(foot_secs.count(s)):
                    fn += 1
                    p += "[^%d]" % fn
                first = False
            out.append(p)
            sec_words += len(p.split())
            if s == list_sec and sec_words > per_sec // 3 and not any(x.startswith("- ") for x in out[-3:]):
                items = ["- " + sentence(rng, 4, 10) for _ in range(rng.randint(3, 6))]
                out.append("\n".join(items))
                sec_words += sum(len(x.split()) for x in items)
                list_sec = -1
        if s == quote_sec:
            out.append("> " + sentence(rng, 10, 22) + "\n> " + sentence(rng, 6, 12))
        if s == table_sec:
            rows = ["| Item | Quarter | Amount |", "| --- | --- | ---: |"]
            for _ in range(rng.randint(3, 5)):
                rows.append("| %s | Q%d | %d |" % (rng.choice(PACKAGES), rng.randint(1, 4),
                                                  rng.randrange(1, 900) * 1000))
            out.append("\n".join(rows))
    for k in range(1, fn + 1):
        out.append("[^%d]: %s" % (k, sentence(rng, 6, 14)))
    return "\n\n".join(out) + "\n"


def yaml_front(meta):
    L = ["---",
         "title: " + q(meta["title"]),
         "slug: " + meta["slug"],
         "date: " + meta["date"],
         "tags: [" + ", ".join(q(t) for t in meta["tags"]) + "]",
         "summary: " + q(meta["summary"])]
    L.append("events:")
    for e in meta["events"]:
        L.append("  - id: %s\n    date: %s\n    label: %s\n    sources: [%s]"
                 % (e["id"], e["date"], q(e["label"]), ", ".join(e["sources"])))
    if meta["aid"]:
        L.append("aid:")
        for a in meta["aid"]:
            L.append("  - id: %s\n    amount: %d\n    currency: %s\n    donor: %s\n    recipient: %s\n"
                     "    date: %s\n    package: %s\n    kind: %s\n    status: %s\n    sources: [%s]"
                     % (a["id"], a["amount"], a["currency"], q(a["donor"]), q(a["recipient"]),
                        a["date"], q(a["package"]), a["kind"], a["status"], ", ".join(a["sources"])))
    else:
        L.append("aid: []")
    L.append("sources:")
    for s in meta["sources"]:
        L.append("  - id: %s\n    title: %s\n    publisher: %s\n    url: %s\n    kind: %s"
                 % (s["id"], q(s["title"]), q(s["publisher"]), q(s["url"]), s["kind"]))
    if meta["quotes"]:
        L.append("quotes:")
        for x in meta["quotes"]:
            L.append("  - id: %s\n    who: %s\n    role: %s\n    text: %s\n    source: %s"
                     % (x["id"], q(x["who"]), q(x["role"]), q(x["text"]), x["source"]))
    L.append("---")
    return "\n".join(L) + "\n\n"


def keyvalue_front(meta):
    L = ["Title: " + meta["title"],
         "Slug: " + meta["slug"],
         "Date: " + meta["date"],
         "Tags: " + ", ".join(meta["tags"]),
         "Summary: " + meta["summary"],
         "Events: " + json.dumps(meta["events"]),
         "Aid: " + json.dumps(meta["aid"]),
         "Sources: " + json.dumps(meta["sources"])]
    return "\n".join(L) + "\n\n"


LAYOUT_DIRS = {"dossier": "content/briefings", "plain": "", "hugo": "content/posts", "pelican": "content",
               "mkdocs": "docs", "eleventy": "posts", "jekyll": "_posts"}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("n", type=int)
    ap.add_argument("--layout", choices=sorted(LAYOUT_DIRS), default="dossier")
    ap.add_argument("--meta", choices=["yaml", "keyvalue"], default=None,
                    help="front matter style (default: keyvalue for pelican, else yaml)")
    ap.add_argument("--seed", default="briefings-v1")
    ap.add_argument("--currencies", default="USD,EUR,GBP",
                    help="comma-separated ISO codes the aid amounts use (default: USD,EUR,GBP)")
    a = ap.parse_args(argv)
    CURRENCIES[:] = [c.strip().upper() for c in a.currencies.split(",") if c.strip()]
    meta_style = a.meta or ("keyvalue" if a.layout == "pelican" else "yaml")
    d = os.path.join(a.out, LAYOUT_DIRS[a.layout])
    os.makedirs(d, exist_ok=True)
    nbytes = nwords = 0
    for i in range(1, a.n + 1):
        meta, body = make_briefing(a.seed, i)
        front = yaml_front(meta) if meta_style == "yaml" else keyvalue_front(meta)
        name = meta["slug"] + ".md"
        if a.layout == "jekyll":
            name = meta["date"] + "-" + name
        text = front + body
        with open(os.path.join(d, name), "w", encoding="utf-8") as f:
            f.write(text)
        nbytes += len(text)
        nwords += len(body.split())
    if a.layout == "mkdocs":
        with open(os.path.join(d, "index.md"), "w", encoding="utf-8") as f:
            f.write("# Briefings\n\nSynthetic benchmark corpus.\n")
    print("wrote %d files to %s (%d bytes, %.0f body words/file avg)"
          % (a.n, d or a.out, nbytes, nwords / max(a.n, 1)), file=sys.stderr)


if __name__ == "__main__":
    main()
