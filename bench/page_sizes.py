"""The heaviest HTML pages of a Dossier site of N generated briefings.

    python bench/page_sizes.py N [--top 10] [--limit 250000] [--repo .] [--out FILE.json]

Makes (or reuses) an N-briefing corpus under bench/work/pages-N/ (``make_corpus.py``, the
same files bench/run.py builds, with ``bench/peers/dossier/site.yaml`` and a registry of the
corpus's names, so entity pages are weighed too), builds it cold with
the checkout's ``build.py`` and prints the largest HTML page, then the largest of each kind
(the first folder of its path: timeline, archive, tags, aid …) and every page over
``--limit`` bytes (issue 14: 250 KB). Not part of the test suite;
tests/test_page_sizes.py checks the limit at N=1,000.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "tests"))
from corpus_site import write_registry  # noqa: E402


def default_corpus_script(repo: Path) -> Path:
    relative = Path("shared") / "bench" / "make_corpus.py"
    for folder in repo.parents:
        if (folder / relative).exists():
            return folder / relative
    return repo.parent / relative


def prepare(project: Path, n: int, corpus_script: Path) -> None:
    """A Dossier project with N briefings; reused when it already has exactly N."""
    briefings = project / "content" / "briefings"
    if briefings.is_dir() and len(list(briefings.glob("briefing-*.md"))) == n:
        return
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(BENCH / "peers" / "dossier", project)
    subprocess.run(
        [sys.executable, str(corpus_script), str(project), str(n)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    write_registry(project)  # entity pages, as a desk's registry makes them


def kind_of(rel: str) -> str:
    first = rel.split("/", 1)[0]
    return "home" if rel == "index.html" or first == "page" else first.removesuffix(".html")


def html_sizes(site: Path) -> dict[str, int]:
    return {
        p.relative_to(site).as_posix(): p.stat().st_size
        for p in site.rglob("*.html")
        if p.relative_to(site).parts[0] != "pagefind"
    }


def summarize(sizes: dict[str, int], limit: int, top: int) -> dict[str, object]:
    ranked = sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
    by_kind: dict[str, dict[str, object]] = {}
    for rel, size in ranked:
        entry = by_kind.setdefault(kind_of(rel), {"largest": rel, "bytes": size, "pages": 0})
        entry["pages"] = int(entry["pages"]) + 1  # type: ignore[call-overload]
    return {
        "pages": len(sizes),
        "largest": {"path": ranked[0][0], "bytes": ranked[0][1]} if ranked else None,
        "top": [{"path": rel, "bytes": size} for rel, size in ranked[:top]],
        "by_kind": by_kind,
        "limit": limit,
        "over_limit": [{"path": rel, "bytes": size} for rel, size in ranked if size > limit],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("n", type=int, help="number of briefings")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--limit", type=int, default=250_000, help="bytes a page may weigh")
    p.add_argument("--repo", type=Path, default=REPO, help="the Dossier checkout to build with")
    p.add_argument("--work", type=Path, default=BENCH / "work")
    p.add_argument("--corpus-script", type=Path, default=None)
    p.add_argument("--out", type=Path, help="also write the figures as JSON")
    args = p.parse_args(argv)
    repo = args.repo.resolve()
    project = (args.work / f"pages-{args.n}").resolve()
    prepare(project, args.n, args.corpus_script or default_corpus_script(repo))
    out = project / "_site"
    for gone in (out, project / ".dossier-cache"):
        shutil.rmtree(gone, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(repo / "build.py"), "build", "--output", str(out), "--quiet"],
        cwd=project,
        check=True,
    )
    seconds = time.perf_counter() - started
    result = {
        "n": args.n,
        "build_s": round(seconds, 2),
        **summarize(html_sizes(out), args.limit, args.top),
    }
    largest = result["largest"]
    print(f"N={args.n}: {result['pages']} HTML pages, built in {seconds:.1f} s")
    if largest:
        print(f"largest: {largest['path']} {largest['bytes'] / 1000:.1f} KB")  # type: ignore[index]
    print("largest of each kind:")
    for kind, entry in sorted(result["by_kind"].items(), key=lambda kv: -int(kv[1]["bytes"])):  # type: ignore[union-attr]
        print(
            f"  {kind:<11} {entry['bytes'] / 1000:8.1f} KB  {entry['largest']}  ({entry['pages']} pages)"
        )
    over = result["over_limit"]
    print(f"over {args.limit / 1000:.0f} KB: {len(over)}")  # type: ignore[arg-type]
    for entry in over:  # type: ignore[union-attr]
        print(f"  {entry['path']} {entry['bytes'] / 1000:.1f} KB")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
