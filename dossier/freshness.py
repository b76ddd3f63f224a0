"""The up-to-date check: whether the last build's output is what a build would write now.

Like make, from stat signatures alone: every input's (Dossier and the options by
fingerprint, site.yaml, the templates, the static files, the entity registry, today's date,
every briefing) and the output folder's (each file's size, mtime and inode). The record is
kept only when a fresh look after the build shows the files it read unchanged; a file that
had only just changed when it was read is read again to be sure ("racy" files, as git
calls them: a second write within one clock tick leaves a signature unchanged).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from pathlib import Path

from dossier.config import CONFIG_FILE, SiteConfig
from dossier.content import (
    Scan,
    read_regular,
    scan,
    settled,
    signature_of,
    static_dirs,
    template_dirs,
    tree_signatures,
)
from dossier.entities import ENTITIES_FILE
from dossier.hashing import digest
from dossier.memory import LastBuild, Memory, fingerprint_of


def fingerprint_for(project: Path, drafts: bool, base_url: str | None) -> str:
    """What everything a memory holds is valid for: Dossier, Python, site.yaml, options."""
    return fingerprint_of((project / CONFIG_FILE).read_bytes(), f"drafts={drafts} {base_url}")


def inputs_digest(project: Path, fingerprint: str, config: SiteConfig, found: Scan) -> str:
    """Every input's signature in one digest, without reading any file; "" when one had
    changed too recently to be sure that a later change would show."""
    seen = time.time_ns()
    media = project / config.media_dir
    sigs = tree_signatures([*template_dirs(project), *static_dirs(project), media])
    try:
        sigs[ENTITIES_FILE] = signature_of(os.stat(project / ENTITIES_FILE))
    except OSError:
        pass
    if not all(settled(s, seen) for s in sigs.values()):
        return ""
    if not all(f.settled for f in found.files.values()):
        return ""
    parts = [fingerprint, config.today().isoformat()]
    parts += [f"{path}={sig}" for path, sig in sigs.items()]
    parts += [f"{rel}={f.signature}" for rel, f in found.files.items()]
    parts += [str(p) for p in found.problems.values()]
    parts += [f"{rel}={sig}" for rel, sig in found.others.items()]  # files beside briefings
    return digest(*parts)


def verified_inputs(
    project: Path, fingerprint: str, config: SiteConfig, used: Scan, memory: Memory
) -> str:
    """After a build: the inputs' digest when a fresh look shows exactly the files the
    build read; a file that had only just changed when it was read is read again to be
    sure. "" otherwise (the next build then looks at every file's bytes)."""
    now = scan(project)
    if now.files.keys() != used.files.keys() or now.problems.keys() != used.problems.keys():
        return ""
    for rel, found in now.files.items():
        if found.signature != used.files[rel].signature:
            return ""
        if not used.files[rel].settled:
            entry = memory.files.get(rel)
            try:
                data = read_regular(found.path)
            except OSError:
                return ""
            if entry is None or hashlib.blake2b(data, digest_size=16).hexdigest() != entry.hash:
                return ""
    return inputs_digest(project, fingerprint, config, now)


def output_signature(out: Path) -> str:
    """Every file and folder of an output with its size, mtime and inode: any change to
    it by hand (a file added, edited or removed) shows here."""
    parts: list[str] = []
    for dirpath, dirnames, filenames in os.walk(out):
        dirnames.sort()
        for name in sorted(filenames):
            st = os.stat(os.path.join(dirpath, name))
            parts.append(f"{dirpath}/{name}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
        st = os.stat(dirpath)
        parts.append(f"{dirpath}:{st.st_mtime_ns}:{st.st_ino}")
    return digest(*parts)


def unchanged(last: LastBuild | None, inputs: str, out: Path) -> bool:
    """Whether the last build saw exactly these inputs and left exactly this output."""
    return bool(last and inputs and last.inputs == inputs and last.output == output_signature(out))


def remember_last(memory: Memory, last: LastBuild, inputs: str, out: Path) -> Memory:
    """``memory`` with the up-to-date record: these inputs made ``out`` as it is now."""
    return dataclasses.replace(
        memory, last=dataclasses.replace(last, inputs=inputs, output=output_signature(out))
    )
