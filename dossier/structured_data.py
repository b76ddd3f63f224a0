"""schema.org JSON-LD for a briefing: the article, its sources, events and aid amounts."""

from __future__ import annotations

from typing import Any

from dossier.briefing import Briefing
from dossier.config import SiteConfig
from dossier.machine import clean_data


def article_jsonld(b: Briefing, config: SiteConfig) -> dict[str, Any]:
    ann = b.annotations
    url = config.absolute_url(b.url_path)
    publisher = {"@type": "Organization", "name": config.publisher, "url": config.base_url}
    mentions: list[dict[str, Any]] = []
    for e in ann.events:
        event: dict[str, Any] = {
            "@type": "Event",
            "@id": f"{url}#event-{e.id}",
            "name": e.label,
            "startDate": e.date.isoformat(),
        }
        if e.place:
            event["location"] = {"@type": "Place", "name": e.place}
        mentions.append(event)
    for a in ann.aid:
        mentions.append(
            {
                "@type": "MonetaryGrant",
                "@id": f"{url}#aid-{a.id}",
                "name": a.package or f"{a.donor} to {a.recipient}",
                "funder": {"@type": "Organization", "name": a.donor},
                "amount": {
                    "@type": "MonetaryAmount",
                    "value": str(a.amount),
                    "currency": a.currency,
                },
                "startDate": a.date.isoformat(),
            }
        )
    return clean_data(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "@id": url,
            "url": url,
            "mainEntityOfPage": url,
            "headline": b.title,
            "description": b.summary,
            "datePublished": b.date.isoformat(),
            "dateModified": b.modified.isoformat(),
            "inLanguage": b.lang or config.language,
            "keywords": list(b.tags),
            "author": publisher,
            "publisher": publisher,
            "citation": [
                {
                    "@type": "CreativeWork",
                    "name": s.title,
                    "url": s.url,
                    "publisher": {"@type": "Organization", "name": s.publisher},
                    **({"datePublished": s.published.isoformat()} if s.published else {}),
                }
                for s in ann.sources
            ],
            "mentions": mentions,
        }
    )
