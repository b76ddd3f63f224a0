"""Where a cold Dossier build spends its time: cProfile of one in-process build.

    python bench/profile.py N [--top 25] [--repo .] [--keep]

Makes (or reuses) an N-briefing corpus under bench/work/profile-N/, removes every output and
cache, then runs `dossier.cli.main(["build"])` in this process under cProfile and prints the
top functions by cumulative and by own time. Work done in worker processes (parallel
Markdown) is not seen by cProfile; their share shows up as time waiting in the parent, unless
--serial makes the build believe it has one core.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# This file is named profile.py, and cProfile imports the stdlib's `profile`: keep bench/
# off the path so that the import finds the stdlib module, not this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import contextlib  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

KEEP = ("site.yaml", "content")


def default_corpus_script(repo: Path) -> Path:
    relative = Path("shared") / "bench" / "make_corpus.py"
    for folder in repo.parents:
        if (folder / relative).exists():
            return folder / relative
    return repo.parent / relative


def prepare(project: Path, n: int, corpus_script: Path) -> None:
    """A Dossier project with N briefings; reused when it already has exactly N."""
    briefings = project / "content" / "briefings"
    if not (briefings.is_dir() and len(list(briefings.glob("briefing-*.md"))) == n):
        if project.exists():
            shutil.rmtree(project)
        shutil.copytree(HERE / "peers" / "dossier", project)
        subprocess.run([sys.executable, str(corpus_script), str(project), str(n)], check=True)
    for entry in project.iterdir():
        if entry.name not in KEEP:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("n", type=int)
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--repo", type=Path, default=HERE.parent)
    p.add_argument("--corpus-script", type=Path, default=None)
    p.add_argument("--work", type=Path, default=HERE / "work")
    p.add_argument(
        "--serial",
        action="store_true",
        help="report one CPU (os.cpu_count) so worker pools stay in this process and are seen",
    )
    args = p.parse_args(argv)
    repo = args.repo.resolve()
    corpus_script = (args.corpus_script or default_corpus_script(repo)).resolve()
    project = (args.work / f"profile-{args.n}").resolve()
    prepare(project, args.n, corpus_script)
    sys.path.insert(0, str(repo))
    from dossier.cli import main as dossier_main

    if args.serial:
        os.cpu_count = lambda: 1  # the build sizes its pools from this
    profiler = cProfile.Profile()
    os.chdir(project)
    start = time.perf_counter()
    code: object = None
    profiler.enable()
    try:
        code = dossier_main(["build"])
    except SystemExit as e:
        code = e.code
    finally:
        profiler.disable()
    seconds = time.perf_counter() - start
    dump = args.work.resolve() / f"profile-{args.n}.prof"
    profiler.dump_stats(dump)
    mode = "serial" if args.serial else "as configured"
    print(f"cold in-process build ({mode}) of {args.n} briefings: {seconds:.2f} s, exit {code!r}")
    print(f"profile saved to {dump} (open with `python -m pstats {dump}`)")
    for order in ("cumulative", "tottime"):
        text = io.StringIO()
        with contextlib.redirect_stdout(text):
            stats = pstats.Stats(profiler, stream=text)
            stats.strip_dirs().sort_stats(order).print_stats(args.top)
        print(f"\n## top {args.top} by {order}\n")
        print(text.getvalue().strip("\n"))
    return 0 if code in (0, None) else 1


if __name__ == "__main__":
    sys.exit(main())
