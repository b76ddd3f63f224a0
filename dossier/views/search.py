"""Search: Pagefind indexes one small document per briefing, in shards it can keep.

Pagefind has no incremental mode and holds about 0.25 MB per page while it indexes, so a
site is indexed as shards of at most ``SHARD_SIZE`` briefings, each its own Pagefind
bundle under ``pagefind/<shard>/``. ``pagefind/pagefind.js`` is Dossier's own module with
Pagefind's JavaScript API: it loads the first shard, merges the others (Pagefind's
``mergeIndex``) and drops the results a later shard replaced, so Pagefind's UI searches
every shard as one index.

What Pagefind reads is not the rendered page but a search document made here from the
briefing (title, summary, body, the annotations' words; tag, donor and year filters; date
sort): the same words in a third of the markup, which halves Pagefind's time.

Between builds (the state is kept in the build cache):
- a shard whose documents are all unchanged is reused as it is (hard links);
- a changed, new or removed briefing leaves its old entry in its shard, listed as *stale*
  (the module hides it), and is indexed again in a new, small *open* shard, together with
  the pages of the previous open shard; an open shard is sealed at ``SHARD_SIZE // 4``;
- a shard with fewer than half of its documents still current is indexed again;
- when the shards outnumber a fresh index's by ``MAX_EXTRA_SHARDS``, or a stale entry's
  id equals a current one's (Pagefind's ids are 28-bit hashes), everything is indexed
  again, so the state never drifts far from what a cold build writes.
"""

from __future__ import annotations

import ctypes
import dataclasses
import gzip
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from dossier.briefing import Briefing
from dossier.errors import DossierError, Problem
from dossier.hashing import digest

TIMEOUT_SECONDS = 600
SHARD_SIZE = 1000  # about 270 MB of Pagefind memory
OPEN_SEAL = SHARD_SIZE // 4
MAX_EXTRA_SHARDS = 4
UI_FILES = ("pagefind-ui.js", "pagefind-ui.css")


@dataclass(frozen=True)
class Shard:
    """One Pagefind bundle: the documents it indexed (url → document hash) and the
    Pagefind id of each (id → url)."""

    name: str
    sealed: bool
    members: tuple[tuple[str, str], ...]
    ids: tuple[tuple[str, str], ...] | None  # read from the bundle when first needed


@dataclass(frozen=True)
class SearchState:
    shards: tuple[Shard, ...] = ()
    stale: tuple[str, ...] = ()  # Pagefind ids the module hides
    hashes: tuple[tuple[str, str], ...] = ()  # briefing_key → its document's hash


@dataclass(frozen=True)
class Document:
    url: str  # site-relative: briefings/<slug>/
    html: str  # "" when the hash came from the last build: made again only if indexed
    hash: str
    briefing: Briefing | None = None


def briefing_key(b: Briefing) -> str:
    """What a briefing's search document is made from (the site's language and Dossier's
    code are in the build cache's fingerprint); "" when unknown."""
    return f"{b.path}\0{b.meta_hash}\0{b.body_hash}" if b.meta_hash and b.body_hash else ""


def search_filter_value(value: object) -> str:
    """A Pagefind filter value that its UI shows as text.

    Pagefind 1.5.2 decodes HTML entities in a filter value twice when indexing, and its
    UI inserts filter names as HTML ({@html} in pagefind-ui.js), so a donor or tag such as
    ``<img src=x onerror=...>`` would run on the search page. Escaped twice here (and once
    more where it is written into an attribute), the index holds ``&lt;img ...&gt;`` and
    the UI shows the text.
    """
    return str(escape(str(escape(str(value)))))


def search_document(b: Briefing, language: str) -> Document:
    """What Pagefind indexes for one briefing: its words, filters and sort key."""

    def attr(key: str, value: object) -> str:
        return str(escape(f"{key}:{search_filter_value(value)}"))

    ann = b.annotations
    filters = [attr("year", b.date.year)]
    filters += [attr("tag", t) for t in b.tags]
    filters += [attr("donor", d) for d in sorted({a.donor for a in ann.aid if a.donor})]
    words = [e.label for e in ann.events]
    for a in ann.aid:
        words += [a.donor, a.recipient, a.package or "", *a.items]
    for q in ann.quotes:
        words += [q.who, q.role, q.text]
    for s in ann.sources:
        words += [s.publisher, s.title]
    facts = " · ".join(str(escape(w)) for w in words if w)
    html = (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(b.title)}</title></head><body><main data-pagefind-body>"
        f"<h1>{escape(b.title)}</h1><p>{escape(b.summary)}</p>"
        + "".join(f'<span data-pagefind-filter="{f}"></span>' for f in filters)
        + f'<span data-pagefind-sort="date:{b.date.isoformat()}"></span>'
        f"<div>{b.html}</div><p>{facts}</p></main></body></html>\n"
    )
    return Document(b.url_path, html, digest(html), b)


def placeholder_document(title: str, description: str, language: str) -> Document:
    """Pagefind refuses to write a bundle with nothing to index: a site with no briefings
    yet indexes its home page's title, so /search/ never links to missing files."""
    html = (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><main data-pagefind-body>"
        f"<h1>{escape(title)}</h1><p>{escape(description)}</p></main></body></html>\n"
    )
    return Document("", html, digest(html))


@dataclass(frozen=True)
class Plan:
    keep: tuple[Shard, ...]  # reused as they are
    new: tuple[tuple[Document, ...], ...]  # each indexed into a new shard
    sealed: tuple[bool, ...]


def plan_shards(
    docs: Sequence[Document], state: SearchState, reusable: Callable[[Shard], bool]
) -> Plan:
    """Which shards stay, and which documents are indexed into which new shards."""
    current = {d.url: d.hash for d in docs}

    def claim(shards: Iterable[Shard]) -> tuple[list[Shard], set[str]]:
        keep: list[Shard] = []
        placed: set[str] = set()
        for shard in shards:
            live = [u for u, h in shard.members if current.get(u) == h and u not in placed]
            whole = len(live) == len(shard.members)
            if (whole or (shard.sealed and 2 * len(live) >= len(shard.members))) and reusable(
                shard
            ):
                keep.append(shard)
                placed.update(live)
        return keep, placed

    keep, placed = claim(state.shards)
    homeless = [d for d in docs if d.url not in placed]
    if not homeless:
        return Plan(tuple(keep), (), ())
    if any(not s.sealed for s in keep):  # the open shard is indexed again with the new pages
        keep, placed = claim(s for s in keep if s.sealed)
        homeless = [d for d in docs if d.url not in placed]
    fresh = max(1, math.ceil(len(docs) / SHARD_SIZE))
    if not keep or len(keep) + math.ceil(len(homeless) / SHARD_SIZE) > fresh + MAX_EXTRA_SHARDS:
        return _everything(docs)
    chunks = [tuple(homeless[i : i + SHARD_SIZE]) for i in range(0, len(homeless), SHARD_SIZE)]
    return Plan(tuple(keep), tuple(chunks), tuple(len(c) >= OPEN_SEAL for c in chunks))


def _everything(docs: Sequence[Document]) -> Plan:
    chunks = [tuple(docs[i : i + SHARD_SIZE]) for i in range(0, len(docs), SHARD_SIZE)]
    return Plan((), tuple(chunks), tuple(True for _ in chunks))


def shard_name(docs: Iterable[Document]) -> str:
    return "s" + digest(*(f"{d.url}={d.hash}" for d in docs))[:12]


def pagefind_command() -> list[str]:
    """The Pagefind binary from the pagefind_bin wheel, run directly (no Python start-up);
    ``python -m pagefind`` where that wheel's layout differs."""
    try:
        from pagefind_bin import get_executable

        return [str(get_executable())]
    except (ImportError, FileNotFoundError, OSError):
        return [sys.executable, "-m", "pagefind"]


def fragment_urls(bundle: Path) -> dict[str, str]:
    """Pagefind's id of each indexed page (its fragment's name) → the page's url."""
    found: dict[str, str] = {}
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        data = json.loads(raw[raw.index(b"{") :])
        found[path.name.removesuffix(".pf_fragment")] = url_key(data["url"])
    return found


def url_key(url: str) -> str:
    """``/briefings/x/`` (Pagefind) and ``briefings/x/`` (Dossier) as one key."""
    stripped = url.strip("/")
    return f"{stripped}/" if stripped else ""


MODULE = """\
// Dossier's search bundle: {count} Pagefind index(es) searched as one. Written by Dossier.
// The same API as Pagefind's pagefind.js: the first shard is loaded, the others merged,
// and entries a newer shard replaced are dropped from the results.
import * as main from "./{first}/pagefind.js";
const OTHERS = {others};
const STALE = new Set({stale});
// Each shard's languages: a shard with none of the page's (<html lang>) is not merged, as
// Pagefind would answer from its largest language instead.
const LANGUAGES = {languages};
const lang = (globalThis.document?.documentElement.lang || "").toLowerCase();
const speaks = (name) =>
  !LANGUAGES[name] || LANGUAGES[name].includes(lang) || LANGUAGES[name].includes(lang.split("-")[0]);
let merged = null;
const ready = () =>
  (merged ??= Promise.all(
    OTHERS.filter(speaks).map((name) =>
      main.mergeIndex(new URL(`./${{name}}/`, import.meta.url).pathname)
    )
  ));
const current = (found) => {{
  if (found && Array.isArray(found.results) && STALE.size) {{
    found.results = found.results.filter((r) => !STALE.has(r.id));
  }}
  return found;
}};
export const options = (opts) => main.options(opts);
export const init = async () => {{ await main.init(); await ready(); }};
export const mergeIndex = async (path, opts) => {{ await ready(); return main.mergeIndex(path, opts); }};
export const filters = async () => {{ await ready(); return main.filters(); }};
export const preload = async (term, opts) => {{ await ready(); return main.preload(term, opts); }};
export const search = async (term, opts) => {{ await ready(); return current(await main.search(term, opts)); }};
export const debouncedSearch = async (term, opts, ms) => {{
  await ready();
  return current(await main.debouncedSearch(term, opts, ms));
}};
export const destroy = async () => {{ merged = null; return main.destroy(); }};
"""


def bundle_module(
    shards: Sequence[Shard], stale: Iterable[str], languages: dict[str, list[str]] | None = None
) -> str:
    names = [s.name for s in shards]
    return MODULE.format(
        count=len(names),
        first=names[0],
        others=json.dumps(names[1:]),
        stale=json.dumps(sorted(stale)),
        languages=json.dumps(languages or {}, sort_keys=True),
    )


def shard_languages(bundle: Path) -> list[str]:
    """The languages Pagefind indexed in a bundle (its entry file), lower-case."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text())
        return sorted(str(k).lower() for k in entry.get("languages", {}))
    except (OSError, ValueError, AttributeError):
        return []


def start_index(
    root: Path,
    briefings: Sequence[Briefing],
    previous: SearchState,
    scratch: Path,
    language: str,
    reusable: Callable[[str], bool],
    placeholder: tuple[str, str] = ("", ""),
) -> PendingIndex:
    """Plan the shards, write the new shards' documents and start Pagefind on them in the
    background (one shard after another, so at most one Pagefind's memory at a time); the
    build renders its pages meanwhile, then calls ``finish``."""

    known = dict(previous.hashes)

    def documents(use_known: bool = False) -> list[Document]:
        docs = []
        for b in briefings:
            found = known.get(briefing_key(b)) if use_known else None
            docs.append(  # each in its own language: Pagefind indexes each language apart
                Document(b.url_path, "", found, b)
                if found
                else search_document(b, b.lang or language)
            )
        return docs or [placeholder_document(*placeholder, language)]

    docs = documents(use_known=True)
    plan = plan_shards(docs, previous, lambda s: reusable(f"pagefind/{s.name}"))
    hashes = tuple(
        (briefing_key(d.briefing), d.hash) for d in docs if d.briefing and briefing_key(d.briefing)
    )
    return PendingIndex(
        root, scratch, {d.url: d.hash for d in docs}, plan, documents, language, hashes
    )


# Runs the Pagefind commands one after another in a child process, so that the build goes
# on meanwhile without a thread (it forks its workers). Every process here dies with its
# parent: a killed build leaves no Pagefind writing into a folder a later build reuses.
SEQUENCE = """\
import ctypes, json, signal, subprocess, sys
def die_with_parent():
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
for command in json.loads(sys.argv[1]):
    try:
        code = subprocess.call(command, preexec_fn=die_with_parent)
    except OSError as exc:
        sys.exit(f"{command[0]}: {exc}")
    if code:
        sys.exit(code)
"""


def die_with_parent() -> None:
    """In a child, before exec: the kernel kills it when its parent dies (Linux)."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass


class PendingIndex:
    """Pagefind running on the new shards; ``finish`` waits and joins every shard."""

    def __init__(
        self,
        root: Path,
        scratch: Path,
        current: dict[str, str],
        plan: Plan,
        documents: Callable[[], list[Document]],
        language: str = "en",
        hashes: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.root, self.scratch, self.current = root, scratch, current
        self.language, self.hashes = language, hashes
        self.keep, self.documents = plan.keep, documents  # the documents are not held
        self.new: list[Shard] = []
        folder = root / "pagefind"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(scratch, ignore_errors=True)
        try:
            commands = self._prepare(plan, folder, scratch)
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        self.process: subprocess.Popen[bytes] | None = None
        self.log = None
        if commands:
            self.log = tempfile.TemporaryFile()
            try:
                self.process = subprocess.Popen(
                    [sys.executable, "-c", SEQUENCE, json.dumps(commands)],
                    stdout=self.log,
                    stderr=subprocess.STDOUT,
                    preexec_fn=die_with_parent,
                )
            except OSError as exc:
                raise DossierError([_problem(f"could not run Pagefind: {exc}")]) from None

    def _prepare(self, plan: Plan, folder: Path, scratch: Path) -> list[list[str]]:
        """Each new shard's documents as files, and the Pagefind command indexing them."""
        commands: list[list[str]] = []
        for chunk, sealed in zip(plan.new, plan.sealed, strict=True):
            name = shard_name(chunk)
            for d in chunk:
                target = scratch / name / d.url / "index.html"
                target.parent.mkdir(parents=True, exist_ok=True)
                html = d.html or search_document(d.briefing, d.briefing.lang or self.language).html  # type: ignore[arg-type]
                target.write_text(html, encoding="utf-8")
            shutil.rmtree(folder / name, ignore_errors=True)
            site, out = str(scratch / name), str(folder / name)
            commands.append([*pagefind_command(), "--site", site, "--output-path", out, "--silent"])
            self.new.append(Shard(name, sealed, tuple((d.url, d.hash) for d in chunk), None))
        return commands

    def cancel(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def finish(self) -> SearchState:
        try:
            self._wait()
            state = self._join()
            if state is None:  # a stale id equals a current one: start again from nothing
                docs = self.documents()
                again = PendingIndex(
                    self.root,
                    self.scratch,
                    self.current,
                    _everything(docs),
                    self.documents,
                    self.language,
                    self.hashes,
                )
                del docs
                try:
                    again._wait()
                    state = again._join()
                finally:
                    again.cancel()
                assert state is not None  # a fresh index has no stale entries
        finally:
            self.cancel()
        _write_module(self.root / "pagefind", state)
        return state

    def _wait(self) -> None:
        if self.process is None:
            return
        try:
            code = self.process.wait(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise DossierError([_problem("Pagefind did not finish in time")]) from None
        if code != 0:
            assert self.log is not None
            self.log.seek(0)
            lines = self.log.read().decode(errors="replace").strip().splitlines()
            detail = lines[-1] if lines else f"exit status {code}"
            raise DossierError([_problem(f"Pagefind failed: {detail}")])

    def _join(self) -> SearchState | None:
        """Every shard with the ids of its stale entries; None when one of those ids is
        also a page of another shard (the module could not tell the two apart)."""
        folder = self.root / "pagefind"
        shards: list[Shard] = []
        stale: set[str] = set()
        claimed: set[str] = set()  # a page is live in the first shard that has it as it is
        for shard in [*self.keep, *self.new]:
            gone = set()
            for url, h in shard.members:
                if url in claimed or self.current.get(url) != h:
                    gone.add(url)
                else:
                    claimed.add(url)
            if gone and shard.ids is None:
                found = fragment_urls(folder / shard.name)
                shard = dataclasses.replace(shard, ids=tuple(sorted(found.items())))
            stale.update(id_ for id_, url in shard.ids or () if url in gone)
            shards.append(shard)
        for id_ in stale:
            if (
                sum((folder / s.name / "fragment" / f"{id_}.pf_fragment").exists() for s in shards)
                > 1
            ):
                return None
        return SearchState(tuple(shards), tuple(sorted(stale)), self.hashes)


def _write_module(folder: Path, state: SearchState) -> None:
    """The joining module and the UI files; whatever else is in the folder (a shard no
    longer used, left by an earlier build in the reused spare tree) goes."""
    names = {s.name for s in state.shards}
    for entry in folder.iterdir():
        if entry.is_dir() and entry.name not in names:
            shutil.rmtree(entry)
        elif not entry.is_dir() and entry.name not in ("pagefind.js", *UI_FILES):
            entry.unlink()
    first = folder / state.shards[0].name
    languages = {s.name: shard_languages(folder / s.name) for s in state.shards}
    _put(folder / "pagefind.js", bundle_module(state.shards, state.stale, languages).encode())
    for name in UI_FILES:
        _put(folder / name, (first / name).read_bytes())


def _put(path: Path, data: bytes) -> None:
    """Write only changed bytes, and never into a file that may be a hard link to the live
    site's (the spare tree shares them): a new file replaces it."""
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    tmp = path.with_name(f".{path.name}.tmp")  # the preview serves this folder meanwhile
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _problem(message: str) -> Problem:
    return Problem(
        "pagefind",
        None,
        "",
        message,
        "check that pagefind[bin] is installed: pip install pagefind[bin]",
    )
