"""What a build remembers of the last one: one typed, frozen ``Memory``, and its files.

The engine (``dossier.engine``) takes the last ``Memory`` and returns the next; nothing
else keeps state between builds. ``build`` loads it from ``.dossier-cache/<output>/`` and
saves it after a successful build; the preview keeps it in RAM and saves it too, so a
restart starts from it.

On disk it is a base file, a delta of what changed since the base (a 1% edit writes a
small delta, not 90 MB again), and ``last``, the small record the up-to-date check reads
without loading the rest. Each file carries Dossier's fingerprint (its code, Python,
site.yaml and the build options) and a checksum of its payload: a corrupt, stale or
foreign memory is discarded, never trusted. Like the output folder, it is data Dossier
wrote itself beside the output, not meant to be shared between projects.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import io
import os
import pickle
import sys
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, TypeVar

import jinja2

import dossier
from dossier.briefing import Briefing
from dossier.content import Scan, Signature
from dossier.errors import Problem
from dossier.hashing import digest
from dossier.page import Page
from dossier.reads import Reads, Tracker
from dossier.site import Site
from dossier.totals import AidTotals
from dossier.views.search import SearchState

MAGIC = b"DOSSIER-MEMORY-1\n"
BASE_FILE, DELTA_FILE, LAST_FILE = "memory.pickle", "memory.delta.pickle", "last.pickle"
DELTA_SHARE = 0.25  # a delta holding more than this share of the entries becomes a new base
T = TypeVar("T")


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class FileMemory:
    """One briefing file as last read: its bytes' hash and what they gave."""

    hash: str
    briefing: Briefing | None
    problems: tuple[Problem, ...]
    # files the body looked for, with their (mtime, size), None when missing
    depends: tuple[tuple[str, tuple[int, int] | None], ...] = ()


# A file's stat signature when it was last looked at, and whether it had settled then
# (False: it changed just before, and may change again within the same clock tick
# without its signature changing, so its bytes are read again next time).
Seen = tuple[Signature, bool]


@dataclass(frozen=True)
class Remembered(Generic[T]):
    """A value and the key of everything it was made from."""

    key: str
    value: T


FileStat = tuple[int, int, int]  # inode, size, mtime_ns: a written file, as it was left


@dataclass(frozen=True)
class PageMemory:
    """One output file at the last build: its bytes' digest, what it read (None for a
    machine file made in Python, whose bytes are all that matters), its planned value's
    fingerprint, and the file as it was left (a file changed by hand is written again)."""

    digest: str
    reads: Reads | None = None
    fingerprint: str = ""
    stat: FileStat | None = None


@dataclass(frozen=True)
class LastBuild:
    """The up-to-date check: every input's signature and the output's, as the last
    successful build saw them, and what it reported."""

    inputs: str  # "" when an input had just changed (it may change again unseen)
    output: str
    pages: int
    statics: int
    briefings: int
    warnings: tuple[Problem, ...]
    scheduled: tuple[tuple[str, dt.date], ...] = ()  # left out for their date


@dataclass(frozen=True)
class Memory:
    """Everything a build remembers. The fields after ``last`` live in RAM only."""

    fingerprint: str = ""  # Dossier, Python, site.yaml and options: what all of it is valid for
    files: Mapping[str, FileMemory] = field(default_factory=_empty)
    # apart from files: a fresh clone changes every signature, and only these are saved again
    signatures: Mapping[str, Seen] = field(default_factory=_empty)
    totals: Remembered[AidTotals] | None = None
    plans: Mapping[str, Remembered[tuple[Page, ...]]] = field(default_factory=_empty)
    templates: str = ""  # the templates' digest the pages were rendered with
    front_matter: str = ""  # the site-wide key the site and page fingerprints belong to
    today: dt.date | None = None
    site_fingerprints: Mapping[str, str] = field(default_factory=_empty)
    pages: Mapping[str, PageMemory] = field(default_factory=_empty)
    search: SearchState = field(default_factory=SearchState)
    last: LastBuild | None = None
    # RAM only: the preview's live state, and what the files on disk were
    parsed: Mapping[str, tuple[Seen, FileMemory]] = field(default_factory=_empty)  # by a
    # build that then stopped with errors: reused, but not what the pages were made from
    site: Site | None = None
    page_list: tuple[Page, ...] = ()
    renderer: Renderer | None = None  # compiled templates, kept while they and site.yaml are
    scan: Scan | None = None
    stored: Stored | None = None
    discarded: str = ""  # why the files on disk were not used


SAVED = (
    "fingerprint",
    "files",
    "signatures",
    "totals",
    "plans",
    "templates",
    "front_matter",
    "today",
    "site_fingerprints",
    "pages",
    "search",
)


@dataclass(frozen=True)
class Renderer:
    """The Jinja environments with their read trackers, for one set of templates and
    settings: one for each language, by the language of a page ("" the default's)."""

    key: str
    environments: Mapping[str, tuple[jinja2.Environment, Tracker]]

    def of(self, page: Page) -> tuple[jinja2.Environment, Tracker]:
        return self.environments[page.lang]


MAPPINGS = ("files", "signatures", "plans", "pages")  # saved entry by entry in a delta


@dataclass(frozen=True)
class Stored:
    """The base file as it was loaded or written: its checksum and values, so a save
    writes only what differs (values are replaced, never changed in place)."""

    checksum: str
    values: Mapping[str, Any]


def load(folder: Path | None, fingerprint: str) -> Memory:
    """The memory saved in ``folder``, or an empty one (saying why) when there is none
    or it cannot be trusted."""
    if folder is None:
        return Memory(fingerprint)
    try:
        raw = (folder / BASE_FILE).read_bytes()
    except OSError:
        return Memory(fingerprint)
    found = _decode(raw, fingerprint)
    del raw
    if isinstance(found, str):
        return Memory(fingerprint, discarded=found)
    values, checksum = found
    stored = Stored(checksum, values)
    merged = dict(values)
    delta_path = folder / DELTA_FILE
    if delta_path.exists():
        try:
            delta = _decode(delta_path.read_bytes(), fingerprint)
        except OSError as exc:
            delta = f"unreadable ({exc.strerror})"
        if isinstance(delta, str) or delta[0].get("base") != checksum:
            why = delta if isinstance(delta, str) else "made for another base"
            return Memory(fingerprint, discarded=f"delta {why}")
        changes = delta[0]
        if not all(n in changes or n not in MAPPINGS for n in SAVED):
            return Memory(fingerprint, discarded="delta with unexpected contents")
        for name in SAVED:
            if name in MAPPINGS:
                entries = dict(values[name])
                entries.update(changes[name])
                for key in changes[f"{name}-removed"]:
                    entries.pop(key, None)
                merged[name] = MappingProxyType(entries)
            elif name in changes:
                merged[name] = changes[name]
    if set(values) != set(SAVED):
        return Memory(fingerprint, discarded="unexpected contents")
    try:
        return Memory(**merged, last=load_last(folder, fingerprint), stored=stored)
    except TypeError:
        return Memory(fingerprint, discarded="unexpected contents")


def load_last(folder: Path, fingerprint: str) -> LastBuild | None:
    """Only the up-to-date check's record: a few hundred bytes, read before anything else."""
    try:
        found = _decode((folder / LAST_FILE).read_bytes(), fingerprint)
    except OSError:
        return None
    if isinstance(found, str) or not isinstance(found[0].get("last"), LastBuild):
        return None
    return found[0]["last"]


def save(folder: Path, memory: Memory) -> Memory:
    """Write what changed since the stored base (or a new base); returns the memory as
    stored, to be saved again after the next build."""
    folder.mkdir(parents=True, exist_ok=True)
    stored = memory.stored
    values = {name: getattr(memory, name) for name in SAVED}
    if stored is not None and stored.values["fingerprint"] == memory.fingerprint:
        changes: dict[str, Any] = {"base": stored.checksum}
        changed = 0
        for name in SAVED:
            now, then = values[name], stored.values[name]
            if name in MAPPINGS:
                changes[name] = {k: v for k, v in now.items() if then.get(k) is not v}
                changes[f"{name}-removed"] = [k for k in then if k not in now]
                if name == "files":
                    changed = len(changes[name]) + len(changes[f"{name}-removed"])
            elif now is not then:
                changes[name] = now
        if changed <= DELTA_SHARE * max(len(stored.values["files"]), 1):
            _write(folder / DELTA_FILE, memory.fingerprint, changes)
            _save_last(folder, memory)
            return memory
    checksum = _write(folder / BASE_FILE, memory.fingerprint, values)
    (folder / DELTA_FILE).unlink(missing_ok=True)
    _save_last(folder, memory)
    return dataclasses.replace(memory, stored=Stored(checksum, values))


def _save_last(folder: Path, memory: Memory) -> None:
    if memory.last is None:
        (folder / LAST_FILE).unlink(missing_ok=True)
    else:
        _write(folder / LAST_FILE, memory.fingerprint, {"last": memory.last})


class _Pickler(pickle.Pickler):
    """Read-only mappings (``MappingProxyType``) are stored as the dicts they show."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is MappingProxyType:
            return _read_only, (dict(obj),)
        return NotImplemented


def _read_only(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


def checksum(payload: bytes | memoryview) -> str:
    """The payload's CRC-32: it catches a truncated or damaged file (the memory is
    Dossier's own, beside the output, not a trust boundary) at a quarter of blake2b's
    time on the ~90 MB a 5,000-briefing memory reads."""
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


def _decode(raw: bytes, fingerprint: str) -> tuple[dict[str, Any], str] | str:
    """The stored state and its payload's checksum, or why it was discarded."""
    if not raw.startswith(MAGIC):
        return "not a Dossier memory of this version"
    # Slices of a memoryview, not of the bytes: the payload (tens of MB) is never copied.
    first = raw.find(b"\n", len(MAGIC))
    second = raw.find(b"\n", first + 1) if first >= 0 else -1
    if second < 0:
        return "truncated"
    stored_fp, stored_sum = raw[len(MAGIC) : first], raw[first + 1 : second]
    payload = memoryview(raw)[second + 1 :]
    if stored_fp.decode(errors="replace") != fingerprint:
        return "made with other settings or another Dossier version"
    payload_sum = checksum(payload)
    if payload_sum != stored_sum.decode(errors="replace"):
        return "corrupt"
    try:
        with no_gc():
            state = pickle.loads(payload)  # noqa: S301 (our own file, checksum-checked above)
    except Exception:  # noqa: BLE001 (any failure means: start again)
        return "unreadable"
    if not isinstance(state, dict):
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
    """Dossier's own source: a memory made by any other code (another version, a local
    edit) describes objects this code may not read the same way."""
    root = Path(dossier.__file__).parent
    if not root.is_dir():
        return dossier.__version__
    # The theme is an input like a site's own templates and static files, tracked page by
    # page (an edit re-renders what it changes); it is not code that reads the memory.
    code = sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)
    return digest(*(f"{p.relative_to(root)}\0" for p in code), *(p.read_bytes() for p in code))


def fingerprint_of(config_bytes: bytes, options: str) -> str:
    return digest(dossier.__version__, code_fingerprint(), sys.version, config_bytes, options)
