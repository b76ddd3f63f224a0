"""One rule for text in every machine file: feeds and the sitemap (XML), timeline.ics
(iCalendar), aid.csv, the JSON files and JSON-LD, and the YAML the importer writes.

Front matter may hold any character a YAML escape can write (``"\\0\\x01\\e"``), and a body
any character but NUL. Some of them break a machine file outright: XML 1.0 has no way
to write most C0 controls, iCalendar none for any control, a lone surrogate cannot be
encoded as UTF-8, and a reader that splits lines on any line break (Python's
``str.splitlines``, many log and calendar tools) takes a bare CR, a form feed or U+2028
for the end of a line, so a label could start a forged ``BEGIN:VEVENT``.

So every string bound for a machine file goes through ``clean_text`` first: each line
break of any kind becomes ``\\n`` (which every format then writes its own way), and every
other control character, lone surrogate and non-character is dropped. Tab stays.
"""

from __future__ import annotations

import re
from typing import Any

# Everything str.splitlines() breaks on, besides "\n" itself.
LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_DROPPED = (
    [c for c in range(0x00, 0x20) if chr(c) not in "\t\n" + LINE_BREAKS]
    + [0x7F, *(c for c in range(0x80, 0xA0) if chr(c) not in LINE_BREAKS)]
    + list(range(0xD800, 0xE000))
    + [0xFFFE, 0xFFFF]
)
_TABLE = {ord(c): "\n" for c in LINE_BREAKS} | dict.fromkeys(_DROPPED)
_NEEDS_CLEANING = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TABLE)) + "]")


def clean_text(text: str) -> str:
    """``text`` as every machine format can hold it and every reader reads it back."""
    if not _NEEDS_CLEANING.search(text):
        return text
    return text.replace("\r\n", "\n").translate(_TABLE)


def clean_data(value: Any) -> Any:
    """``clean_text`` over every string (keys too) of a JSON-like value."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k) if isinstance(k, str) else k: clean_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_data(v) for v in value]
    return value
