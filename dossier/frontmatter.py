"""Splitting a briefing into its ``---`` YAML block and its Markdown body."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from dossier.errors import Problems
from dossier.schema import Ctx, check_safe, compose

MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Split:
    yaml_text: str
    yaml_first_line: int
    body: str
    body_first_line: int


def decode(data: bytes, path: str, problems: Problems) -> str | None:
    """UTF-8 only (a BOM is allowed); CRLF and CR become LF."""
    if len(data) > MAX_BYTES:
        problems.add(
            path, None, "", f"file is larger than {MAX_BYTES // 2**20} MB", "split the briefing"
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(
            path,
            line,
            "",
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file as UTF-8",
        )
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.add(
            path, line, "", "contains a NUL byte; is it a binary file?", "briefings are UTF-8 text"
        )
        return None
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split(text: str, path: str, problems: Problems) -> Split | None:
    """Find the front matter between a first line '---' and the next '---' (or '...')."""
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip() != "---":
        problems.add(
            path,
            1,
            "front matter",
            "a briefing must start with a '---' line",
            "put the YAML annotations between two '---' lines at the top",
        )
        return None
    pos = first_end + 1
    line = 2
    while pos <= len(text) and first_end >= 0:
        end = text.find("\n", pos)
        current = text[pos:] if end < 0 else text[pos:end]
        if current.rstrip() in ("---", "..."):
            body_start = len(text) if end < 0 else end + 1
            return Split(text[first_end + 1 : pos], 2, text[body_start:], line + 1)
        if end < 0:
            break
        pos = end + 1
        line += 1
    problems.add(
        path,
        1,
        "front matter",
        "the '---' block opened here is never closed",
        "end the front matter with a line '---'",
    )
    return None


def parse(split_: Split, path: str, problems: Problems) -> yaml.MappingNode | None:
    """Compose the YAML block; it must be a safe, non-empty mapping."""
    ctx = Ctx(path, split_.yaml_first_line, problems)
    root = compose(split_.yaml_text, path, split_.yaml_first_line, problems)
    if root is None:
        if not problems.errors:
            problems.add(
                path,
                1,
                "front matter",
                "the front matter is empty",
                "add at least title, date and summary",
            )
        return None
    if not check_safe(root, ctx):
        return None
    if not isinstance(root, yaml.MappingNode):
        ctx.error(
            root,
            "front matter",
            "must be a mapping of 'key: value' lines, not a list or text",
            "e.g. 'title: ...' on its own line",
        )
        return None
    return root
