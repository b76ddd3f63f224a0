"""Share cards: the 1200×630 PNG a link preview shows (``og:image``), one per briefing and
one for the site.

A card is planned like a page (``Page`` with ``template = SHARE_CARD``) whose planned
value, a ``ShareCard``, holds every string it draws; ``render_page`` draws it on a worker
like any other page. So the engine's usual bookkeeping applies: a card is drawn again
only when its planned value changes (its briefing's title, date or headline figure, or
the site's title), kept from the live site or the page store otherwise.

Drawing is cheap on purpose (about 2.5 ms a card): one canvas whose values index a
16-colour palette of two ramps (paper to ink, and the accent band to paper), so text is
antialiased in one channel with no conversion, and the PNG is written 4 bits a pixel,
unfiltered, run-length deflated (about 20 KB).
"""

from __future__ import annotations

import struct
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dossier.formatting import format_day, format_money_compact
from dossier.page import Page
from dossier.site import Site

SHARE_CARD = "share-card.png"  # the "template" that marks a drawn page
WIDTH, HEIGHT = 1200, 630
SITE_CARD = "card.png"  # the site's own, for every page but a briefing

PAPER, INK, ACCENT = (0xFD, 0xFC, 0xF8), (0x1D, 0x1D, 0x1B), (0x0B, 0x53, 0x94)
# Canvas values index a 16-colour palette: 0..7 paper → ink (text on paper), 8..15 accent
# → paper (the band). Drawing text of value 7 on 0 antialiases in those 8 steps by itself,
# and a 16-colour PNG is written 4 bits a pixel: small files, no conversion.
LEVELS = 8
INK_FULL, MUTED, RULE = 7, 5, 1
BAND, BAND_TEXT, BAND_MUTED = 8, 15, 13
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")


@dataclass(frozen=True, slots=True)
class ShareCard:
    """Everything a card shows, as text: its planned value."""

    site_title: str
    title: str
    date: str = ""
    figure: str = ""  # the headline figure, e.g. "$275 million"
    figure_label: str = ""  # e.g. "pledged"
    kicker: str = "Briefing"


def card_path(url_path: str) -> str:
    """Where the card of the page at ``url_path`` is published."""
    return f"{url_path}card.png"


def plan_share_cards(site: Site) -> list[Page]:
    """A card for every briefing, and the site's own."""
    config = site.config
    fmt = config.date_format
    pages = [
        Page(
            SITE_CARD,
            SHARE_CARD,
            config.title,
            data={"card": ShareCard(config.title, config.description or config.title, kicker="")},
        )
    ]
    for b in site.briefings:
        lang = b.lang or config.language  # a briefing's card speaks its language
        figure = label = ""
        if b.annotations.aid:
            aid = b.annotations.aid[0]
            figure, label = format_money_compact(aid.money, lang), aid.status
        card = ShareCard(config.title, b.title, format_day(b.date, lang, fmt), figure, label)
        pages.append(Page(card_path(b.url_path), SHARE_CARD, b.title, data={"card": card}))
    return pages


def render_share_card(page: Page) -> bytes:
    return draw(page.data["card"])


# Drawing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fonts:
    title: tuple[object, ...]  # from large to small: the first that fits four lines
    band: object
    meta: object
    figure: object
    unicode: bool  # False: Pillow's own font, which has ASCII only


@lru_cache(maxsize=1)
def _fonts() -> _Fonts:
    """DejaVu (Debian's fonts-dejavu-core, on most Linux machines) when present; else
    Aileron, the scalable font inside Pillow, so a machine with no fonts still draws."""
    from PIL import ImageFont

    def find(name: str) -> Path | None:
        return next((Path(d) / name for d in FONT_DIRS if (Path(d) / name).is_file()), None)

    serif, sans, bold = (
        find("DejaVuSerifCondensed-Bold.ttf"),
        find("DejaVuSans.ttf"),
        find("DejaVuSans-Bold.ttf"),
    )
    if serif and sans and bold:

        def face(path: Path, size: int) -> object:
            # Basic layout: no libraqm (it fails on some separators, and costs time);
            # Latin and Cyrillic, the site's scripts, need no shaping
            return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)

        return _Fonts(
            tuple(face(serif, s) for s in (66, 56, 48)),
            face(bold, 30),
            face(sans, 30),
            face(bold, 54),
            True,
        )
    default = ImageFont.load_default
    return _Fonts(
        tuple(default(size=s) for s in (66, 56, 48)),
        default(size=30),
        default(size=30),
        default(size=54),
        False,
    )


@lru_cache(maxsize=1)
def _palette() -> list[int]:
    def ramp(a: tuple[int, ...], b: tuple[int, ...]) -> list[int]:
        steps = LEVELS - 1
        return [round(a[c] + (b[c] - a[c]) * i / steps) for i in range(LEVELS) for c in range(3)]

    return ramp(PAPER, INK) + ramp(ACCENT, PAPER)


_ASCII = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


def _text(s: str, fonts: _Fonts) -> str:
    """What a card can draw: separators and invisible characters become spaces."""
    s = " ".join("".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in s).split())
    if fonts.unicode:
        return s
    s = unicodedata.normalize("NFKD", s.translate(_ASCII))
    return s.encode("ascii", "ignore").decode()


def _wrap(draw: object, text: str, font: object, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if not line or draw.textlength(candidate, font=font) <= width:  # type: ignore[attr-defined]
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def draw(card: ShareCard) -> bytes:
    """The card as PNG bytes (8-bit palette)."""
    from PIL import Image, ImageDraw

    fonts = _fonts()
    im = Image.new("L", (WIDTH, HEIGHT), 0)
    d = ImageDraw.Draw(im)
    margin, band = 72, 96
    d.rectangle([0, 0, WIDTH, band], fill=BAND)
    d.text(
        (margin, band // 2),
        _text(card.site_title, fonts),
        font=fonts.band,
        fill=BAND_TEXT,
        anchor="lm",
    )
    if card.kicker:
        d.text(
            (WIDTH - margin, band // 2),
            _text(card.kicker.upper(), fonts),
            font=fonts.meta,
            fill=BAND_MUTED,
            anchor="rm",
        )
    width = WIDTH - 2 * margin
    title = _text(card.title, fonts)
    for font in fonts.title:
        lines = _wrap(d, title, font, width)
        if len(lines) <= 4:
            break
    if len(lines) > 4:
        lines = lines[:4]
        while lines[3] and d.textlength(lines[3] + "…", font=font) > width:
            lines[3] = lines[3].rsplit(" ", 1)[0] if " " in lines[3] else lines[3][:-1]
        lines[3] += "…" if fonts.unicode else "..."
    size = font.size  # type: ignore[attr-defined]
    y = band + 56
    for line in lines:
        d.text((margin, y), line, font=font, fill=INK_FULL)
        y += round(size * 1.18)
    foot = HEIGHT - 112
    d.rectangle([margin, foot, WIDTH - margin, foot + 1], fill=RULE)
    if card.date:
        d.text(
            (margin, foot + 58), _text(card.date, fonts), font=fonts.meta, fill=MUTED, anchor="lm"
        )
    if card.figure:
        x = WIDTH - margin
        if card.figure_label:
            label = _text(card.figure_label, fonts)
            d.text((x, foot + 58), label, font=fonts.meta, fill=MUTED, anchor="rm")
            x -= round(d.textlength(label, font=fonts.meta)) + 16
        d.text(
            (x, foot + 58), _text(card.figure, fonts), font=fonts.figure, fill=INK_FULL, anchor="rm"
        )
        fw = round(d.textlength(_text(card.figure, fonts), font=fonts.figure))
        d.rectangle([x - fw - 22, foot + 34, x - fw - 16, foot + 82], fill=BAND)
    im.putpalette(_palette())  # L becomes P: the values are the palette indices
    return _png(im)


def _png(im: object) -> bytes:
    """The canvas as a 4-bit palette PNG: rows unfiltered (filters do nothing for a
    palette image) and deflated run-length, half the time of Pillow's encoder, which
    tries each filter on each row."""
    width, height = im.size  # type: ignore[attr-defined]
    raw = im.tobytes("raw", "P;4")  # type: ignore[attr-defined]
    stride = (width + 1) // 2
    rows = b"".join(b"\0" + raw[i : i + stride] for i in range(0, len(raw), stride))
    z = zlib.compressobj(6, zlib.DEFLATED, 15, 9, zlib.Z_RLE)
    header = struct.pack(">IIBBBBB", width, height, 4, 3, 0, 0, 0)  # 4 bits, palette
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"PLTE", bytes(_palette())),
            _chunk(b"IDAT", z.compress(rows) + z.flush()),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
