"""The build cache in ``.dossier-cache/`` beside the output folder.

It remembers, per briefing file, the loaded ``Briefing`` keyed by the file's
content hash, and per output page the key of everything that page was drawn
from. Both are only valid for the same Dossier version, site.yaml, templates
and build options: that fingerprint is checked on load, together with a digest
of the payload, so a corrupt, stale or foreign cache is discarded and rebuilt
rather than trusted. The cache is data Dossier wrote itself beside the output;
like the output folder, it is not meant to be shared between projects.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dossier
from dossier.briefing import Briefing
from dossier.errors import Problem

MAGIC = b"DOSSIER-CACHE-2\n"
FILE = "build.pickle"


def digest(*parts: bytes | str | memoryview) -> str:
    # Each part followed by a NUL. Short parts (an output signature has ~17,000) are joined
    # and hashed in one update; a long one (the cache's payload) is hashed where it lies.
    h = hashlib.blake2b(digest_size=16)
    pending: list[bytes] = []
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        if len(data) > 65536:
            h.update(b"".join(pending))
            pending.clear()
            h.update(data)
            pending.append(b"\x00")
        else:
            pending += (data, b"\x00")  # type: ignore[arg-type]
    h.update(b"".join(pending))
    return h.hexdigest()


def tree_fingerprint(dirs: list[Path]) -> str:
    """Every file's name and bytes under the given folders (templates)."""
    h = hashlib.blake2b(digest_size=16)
    for d in dirs:
        for path in sorted(p for p in d.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(str(path.relative_to(d)).encode() + b"\x00")
            h.update(path.read_bytes() + b"\x00")
    return h.hexdigest()


@dataclass
class BuildCache:
    """What the previous build knew. Mutated only by the build that owns the output lock."""

    path: Path | None
    fingerprint: str
    briefings: dict[str, tuple[str, Briefing | None, tuple[Problem, ...]]] = field(
        default_factory=dict
    )
    pages: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    discarded: str = ""
    dirty: bool = True  # a freshly opened, valid cache is clean until something changes

    @classmethod
    def open(cls, folder: Path | None, fingerprint: str) -> BuildCache:
        if folder is None:
            return cls(None, fingerprint)
        path = folder / FILE
        try:
            raw = path.read_bytes()
        except OSError:
            return cls(path, fingerprint)
        state = _decode(raw, fingerprint)
        if isinstance(state, str):
            return cls(path, fingerprint, discarded=state)
        return cls(
            path, fingerprint, state["briefings"], state["pages"], state["extra"], dirty=False
        )

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        payload = pickle.dumps(
            {"briefings": self.briefings, "pages": self.pages, "extra": self.extra},
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        header = MAGIC + self.fingerprint.encode() + b"\n" + digest(payload).encode() + b"\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{FILE}.{os.getpid()}.tmp")
        with open(tmp, "wb") as f:  # two writes: joining them would copy the payload
            f.write(header)
            f.write(payload)
        os.replace(tmp, self.path)


def _decode(raw: bytes, fingerprint: str) -> dict[str, Any] | str:
    """The cached state, or why it was discarded."""
    if not raw.startswith(MAGIC):
        return "not a Dossier cache of this version"
    # Slices of a memoryview, not of the bytes: the payload (tens of MB) is never copied.
    first = raw.find(b"\n", len(MAGIC))
    second = raw.find(b"\n", first + 1) if first >= 0 else -1
    if second < 0:
        return "truncated"
    stored_fp, stored_digest = raw[len(MAGIC) : first], raw[first + 1 : second]
    payload = memoryview(raw)[second + 1 :]
    if stored_fp.decode(errors="replace") != fingerprint:
        return "made with other settings, templates or Dossier version"
    if digest(payload) != stored_digest.decode(errors="replace"):
        return "corrupt"
    try:
        state = pickle.loads(payload)  # noqa: S301 (our own file, digest-checked above)
    except Exception:  # noqa: BLE001 (any failure means: rebuild)
        return "unreadable"
    if not isinstance(state, dict) or set(state) != {"briefings", "pages", "extra"}:
        return "unexpected contents"
    return state


@functools.cache
def code_fingerprint() -> str:
    """Dossier's own source: a cache made by any other code (another version, a local
    edit) describes objects this code may not read the same way."""
    root = Path(dossier.__file__).parent
    return tree_fingerprint([root]) if root.is_dir() else dossier.__version__


def build_fingerprint(config_bytes: bytes, template_fp: str, options: str) -> str:
    return digest(
        dossier.__version__, code_fingerprint(), sys.version, config_bytes, template_fp, options
    )
