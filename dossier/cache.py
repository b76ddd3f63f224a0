"""The build cache in ``.dossier-cache/`` beside the output folder.

It remembers, per briefing file, the loaded ``Briefing`` keyed by the file's
content hash, and per output page the key of everything that page was drawn
from. Both are only valid for the same Dossier version, site.yaml, templates
and build options: that fingerprint is checked on load, together with a checksum
of the payload, so a corrupt, stale or foreign cache is discarded and rebuilt
rather than trusted. The cache is data Dossier wrote itself beside the output;
like the output folder, it is not meant to be shared between projects.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import io
import os
import pickle
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import dossier
from dossier.briefing import Briefing
from dossier.errors import Problem

MAGIC = b"DOSSIER-CACHE-4\n"


def digest(*parts: bytes | str) -> str:
    """Each part followed by a NUL, hashed in one update (an output signature has ~17,000
    short parts: one update per part cost ten times more)."""
    joined = b"".join((p.encode() if isinstance(p, str) else p) + b"\x00" for p in parts)
    return hashlib.blake2b(joined, digest_size=16).hexdigest()


def tree_fingerprint(dirs: list[Path]) -> str:
    """Every file's name and bytes under the given folders (templates)."""
    h = hashlib.blake2b(digest_size=16)
    for d in dirs:
        for path in sorted(p for p in d.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(str(path.relative_to(d)).encode() + b"\x00")
            h.update(path.read_bytes() + b"\x00")
    return h.hexdigest()


Entry = tuple[str, Briefing | None, tuple[Problem, ...]]  # file hash, briefing, problems


@dataclass
class BuildCache:
    """What the previous build knew. Mutated only by the build that owns the output lock.

    Stored as a base file and a delta: a build that changed a few briefings writes only
    those (with the page keys and the rest), not every briefing again; once the delta
    holds more than ``DELTA_SHARE`` of the briefings, the next save writes a new base.
    A delta that does not match its base (a crash between the two writes) discards both.
    """

    path: Path | None
    fingerprint: str
    briefings: dict[str, Entry] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    discarded: str = ""
    dirty: bool = True  # a freshly opened, valid cache is clean until something changes
    # the base file's checksum, briefings and extras, as loaded (the delta is what differs)
    base: tuple[str, dict[str, Entry], dict[str, Any]] | None = None

    @classmethod
    def open(cls, folder: Path | None, fingerprint: str) -> BuildCache:
        if folder is None:
            return cls(None, fingerprint)
        path = folder / FILE
        try:
            raw = path.read_bytes()
        except OSError:
            return cls(path, fingerprint)
        found = _decode(raw, fingerprint, BASE_KEYS)
        del raw
        if isinstance(found, str):
            return cls(path, fingerprint, discarded=found)
        state, base_sum = found
        briefings, pages, extra = state["briefings"], state["pages"], state["extra"]
        delta_path = folder / DELTA_FILE
        if delta_path.exists():
            try:
                delta = _decode(delta_path.read_bytes(), fingerprint, DELTA_KEYS)
            except OSError as exc:
                delta = f"unreadable ({exc.strerror})"
            if isinstance(delta, str) or delta[0]["base"] != base_sum:
                why = delta if isinstance(delta, str) else "made for another base"
                return cls(path, fingerprint, discarded=f"delta {why}")
            changes = delta[0]
            merged = dict(briefings)
            merged.update(changes["briefings"])
            for rel in changes["removed"]:
                merged.pop(rel, None)
            more = {**extra, **changes["extra"]}
            for key in changes["extra_removed"]:
                more.pop(key, None)
            briefings, pages, extra = merged, changes["pages"], more
        return cls(
            path,
            fingerprint,
            briefings,
            pages,
            extra,
            dirty=False,
            base=(base_sum, state["briefings"], state["extra"]),
        )

    def remember(self, **entries: Any) -> None:
        """Store extras for the next build. Each is replaced, never changed in place: the
        delta tells what is new by identity."""
        self.extra = {**self.extra, **entries}
        self.dirty = True

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        delta_path = self.path.with_name(DELTA_FILE)
        if self.base is not None:
            base_sum, base, base_extra = self.base
            changed = {r: e for r, e in self.briefings.items() if base.get(r) is not e}
            removed = [r for r in base if r not in self.briefings]
            if len(changed) + len(removed) <= DELTA_SHARE * max(len(base), 1):
                state = {
                    "base": base_sum,
                    "briefings": changed,
                    "removed": removed,
                    "pages": self.pages,
                    # extras are replaced, never changed in place: identity tells what is new
                    "extra": {k: v for k, v in self.extra.items() if base_extra.get(k) is not v},
                    "extra_removed": [k for k in base_extra if k not in self.extra],
                }
                _write(delta_path, self.fingerprint, state)
                return
        written = _write(
            self.path,
            self.fingerprint,
            {"briefings": self.briefings, "pages": self.pages, "extra": self.extra},
        )
        delta_path.unlink(missing_ok=True)
        self.base = (written, dict(self.briefings), dict(self.extra))


FILE = "build.pickle"
DELTA_FILE = "build.delta.pickle"
DELTA_SHARE = 0.25
BASE_KEYS = frozenset({"briefings", "pages", "extra"})
DELTA_KEYS = frozenset({"base", "briefings", "removed", "pages", "extra", "extra_removed"})


class _Pickler(pickle.Pickler):
    """Read-only mappings (``MappingProxyType``) are stored as the dicts they show."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is MappingProxyType:
            return _read_only, (dict(obj),)
        return NotImplemented


def _read_only(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


def checksum(payload: bytes | memoryview) -> str:
    """The payload's CRC-32: it catches a truncated or damaged file (the cache is Dossier's
    own, beside the output, not a trust boundary) at a quarter of blake2b's time on the
    ~90 MB a 5,000-briefing cache reads on every build."""
    return f"crc32:{zlib.crc32(payload):08x}"


def _write(path: Path, fingerprint: str, state: dict[str, Any]) -> str:
    """Pickle ``state`` to ``path`` atomically; returns the payload's checksum."""
    buffer = io.BytesIO()
    with no_gc():
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(state)
    payload = buffer.getbuffer()
    payload_sum = checksum(payload)
    header = MAGIC + fingerprint.encode() + b"\n" + payload_sum.encode() + b"\n"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:  # two writes: joining them would copy the payload
        f.write(header)
        f.write(payload)
    os.replace(tmp, path)
    return payload_sum


def _decode(raw: bytes, fingerprint: str, keys: frozenset[str]) -> tuple[dict[str, Any], str] | str:
    """The cached state and its payload's checksum, or why it was discarded."""
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
    payload_sum = checksum(payload)
    if payload_sum != stored_digest.decode(errors="replace"):
        return "corrupt"
    try:
        with no_gc():
            state = pickle.loads(payload)  # noqa: S301 (our own file, checksum-checked above)
    except Exception:  # noqa: BLE001 (any failure means: rebuild)
        return "unreadable"
    if not isinstance(state, dict) or set(state) != keys:
        return "unexpected contents"
    return state, payload_sum


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """No garbage collection while (un)pickling millions of objects: each full collection
    would scan all of them again, for nothing (pickle makes no cycles to free)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


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
