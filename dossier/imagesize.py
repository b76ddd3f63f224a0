"""An image's width and height from its first bytes (PNG, GIF, JPEG, WebP, SVG), so a page
can reserve its space before it loads; no imaging library needed."""

from __future__ import annotations

import re
import struct
from pathlib import Path

_SVG_SIZE = re.compile(rb"<svg\b[^>]*>", re.DOTALL)
_ATTR = re.compile(rb"""\b(width|height|viewBox)\s*=\s*["']([^"']*)["']""")
_LENGTH = re.compile(rb"^\s*([0-9]+(?:\.[0-9]+)?)\s*(px)?\s*$")


def image_size(path: Path) -> tuple[int, int] | None:
    try:
        with open(path, "rb") as f:
            head = f.read(65536)
    except OSError:
        return None
    try:
        return _size(head)
    except (struct.error, ValueError, IndexError):
        return None


def _size(b: bytes) -> tuple[int, int] | None:
    if b[:8] == b"\x89PNG\r\n\x1a\n" and b[12:16] == b"IHDR":
        w, h = struct.unpack(">II", b[16:24])
        return w, h
    if b[:6] in (b"GIF87a", b"GIF89a"):
        w, h = struct.unpack("<HH", b[6:10])
        return w, h
    if b[:4] == b"RIFF" and b[8:12] == b"WEBP":
        kind = b[12:16]
        if kind == b"VP8 ":
            w, h = struct.unpack("<HH", b[26:30])
            return w & 0x3FFF, h & 0x3FFF
        if kind == b"VP8L":
            bits = int.from_bytes(b[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if kind == b"VP8X":
            return int.from_bytes(b[24:27], "little") + 1, int.from_bytes(b[27:30], "little") + 1
        return None
    if b[:2] == b"\xff\xd8":
        return _jpeg(b)
    if b"<svg" in b[:4096]:
        return _svg(b)
    return None


def _jpeg(b: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(b):
        if b[i] != 0xFF:
            return None
        marker = b[i + 1]
        length = struct.unpack(">H", b[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            h, w = struct.unpack(">HH", b[i + 5 : i + 9])
            return w, h
        i += 2 + length
    return None


def _svg(b: bytes) -> tuple[int, int] | None:
    tag = _SVG_SIZE.search(b)
    if tag is None:
        return None
    attrs = {k.decode(): v for k, v in _ATTR.findall(tag.group())}
    w, h = _LENGTH.match(attrs.get("width", b"")), _LENGTH.match(attrs.get("height", b""))
    if w and h:
        return round(float(w.group(1))), round(float(h.group(1)))
    box = attrs.get("viewBox", b"").replace(b",", b" ").split()
    if len(box) == 4:
        return round(float(box[2])), round(float(box[3]))
    return None
