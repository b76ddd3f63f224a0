"""Dossier side by side with Hugo, Pelican and MkDocs on the same synthetic briefings.

    python bench/run.py 1000 5000 [--runs 3] [--tools dossier,hugo,pelican,mkdocs]
                        [--runs-for pelican=1,mkdocs=1] [--cases cold,nochange,edit,deploy,server]
                        [--servers dossier,hugo] [--out bench/results/<date>.json]

Every figure is the median of whole-process runs, so each tool starts cold in its interpreter
or binary as an author's command would. Results are merged into the --out JSON (per N and
tool, newer replaces older) so that peers and Dossier can be measured in separate sessions.
Not part of the test suite; CI does not run it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402
import report  # noqa: E402
from tools import (  # noqa: E402
    Tool,
    briefing_files,
    clean_project,
    collect_toolbox,
    fresh_clone,
    prepare_project,
    tool_env,
)

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CASES = ("cold", "nochange", "edit", "deploy", "server")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def summarize(runs: list[measure.Run]) -> dict[str, Any]:
    return {
        "median_s": statistics.median(r.seconds for r in runs),
        "runs": len(runs),
        "measured": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "runs_s": [round(r.seconds, 4) for r in runs],
        "cpu_median_s": round(statistics.median(r.cpu_seconds for r in runs), 4),
        "loadavg_after": round(os.getloadavg()[0], 2),
        "peak_rss_mb": round(max(r.peak_rss_mb for r in runs), 1),
        "peak_tree_rss_mb": round(max(r.peak_tree_rss_mb for r in runs), 1),
    }


def timed_builds(
    tool: Tool, project: Path, runs: int, env: dict[str, str], before: Any, timeout: float
) -> tuple[dict[str, Any], str | None]:
    """`runs` whole-process builds, each after `before(k)`; the first failure stops the case."""
    done: list[measure.Run] = []
    for k in range(runs):
        before(k)
        run = measure.run_process(tool.build(project), project, env, timeout)
        log(
            f"  {tool.name}: {run.seconds:.2f} s (cpu {run.cpu_seconds:.2f} s), "
            f"rc={run.returncode}, {run.peak_rss_mb:.0f} MB (tree {run.peak_tree_rss_mb:.0f} MB)"
        )
        if run.returncode != 0:
            return {"error": run.output_tail[-1500:], "runs_s": [r.seconds for r in done]}, (
                run.output_tail
            )
        done.append(run)
    return summarize(done), None


def edit_one_percent(files: list[Path], run: int) -> list[Path]:
    """Append a sentence to the same evenly spaced 1% of the briefings (at least one)."""
    count = max(1, len(files) // 100)
    step = max(1, len(files) // count)
    chosen = files[::step][:count]
    for path in chosen:
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"\nBenchmark edit {run}: one more sentence for the rebuild.\n")
    return chosen


def measure_server(
    tool: Tool, project: Path, n: int, runs: int, env: dict[str, str], gap: float
) -> dict[str, Any]:
    assert tool.serve is not None
    target = briefing_files(tool, project)[0]
    slug = target.stem
    expect = f"(#{int(slug.rsplit('-', 1)[1])})"
    port = measure.free_port()
    base = f"http://127.0.0.1:{port}/"
    startup = max(60.0, n * 0.03)
    started = time.perf_counter()
    with measure.running_server(tool.serve(project, port), project, env) as watcher:
        url = measure.wait_for_page(base, tool.page_paths(slug), expect, watcher, startup)
        if url is None:
            return {"error": f"page for {slug} never served (tried {tool.page_paths(slug)}); "
                             f"server said:\n{watcher.tail()}"}  # fmt: skip
        ready = time.perf_counter() - started
        log(f"  {tool.name} server ready in {ready:.1f} s at {url}")
        edits: list[measure.ServerEdit] = []
        for k in range(runs):
            time.sleep(gap)
            marker = f"Benchmark-marker-{n}-{k}-{time.time_ns()}"

            def save(path: Path = target, text: str = marker) -> str:
                with open(path, "a", encoding="utf-8") as f:
                    f.write(f"\n{text} closes this briefing.\n")
                return text

            bound = max(30.0, n * 0.02)
            edit = measure.measure_edit(url, save, watcher, tool.rebuilt, timeout=bound)
            log(
                f"  {tool.name} edit {k}: served {edit.save_to_served_s}, "
                f"rebuilt {edit.save_to_rebuilt_s}, says {edit.reported_rebuild_ms} ms"
            )
            edits.append(edit)
        time.sleep(gap)  # Dossier's preview saves its memory after a second of quiet
    restarted = time.perf_counter()
    with measure.running_server(tool.serve(project, port), project, env) as watcher:
        again = measure.wait_for_page(base, tool.page_paths(slug), expect, watcher, startup)
        restart = time.perf_counter() - restarted if again else None
        log(f"  {tool.name} server restarted (nothing changed) in {restart} s")
    return {
        "url": url,
        "measured": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "startup_s": round(ready, 3),
        "restart_s": None if restart is None else round(restart, 3),
        "save_to_served_s": _median_of(e.save_to_served_s for e in edits),
        "save_to_rebuilt_s": _median_of(e.save_to_rebuilt_s for e in edits),
        "reported_rebuild_ms": _median_of(e.reported_rebuild_ms for e in edits),
        "edits": [e.__dict__ for e in edits],
        "note": None if tool.rebuilt is None else f"rebuild-done line: {tool.rebuilt.pattern}",
    }


def _median_of(values: Any) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 4) if present else None


def bench_tool(
    tool: Tool, n: int, runs: int, cases: set[str], servers: set[str], args: argparse.Namespace
) -> dict[str, Any]:
    env = tool_env()
    project = args.work / f"n{n}" / tool.name
    log(f"{tool.name} N={n}: corpus in {project}")
    prepare_project(tool, project, n, args.corpus_script)
    record: dict[str, Any] = {"runs": runs, "project": str(project), "cases": {}}

    def cold(_: int) -> None:
        clean_project(tool, project)

    def nothing(_: int) -> None:
        return None

    def edited(k: int) -> None:
        edit_one_percent(briefing_files(tool, project), k)

    plan = [("cold", cold), ("nochange", nothing), ("edit", edited)]
    built = False
    for case, before in plan:
        if case not in cases:
            continue
        if case != "cold" and not built:
            _, error = timed_builds(tool, project, 1, env, cold, args.timeout)
            if error:
                record["error"] = error[-1500:]
                return record
            built = True
        log(f"{tool.name} N={n}: {case} x{runs}")
        summary, error = timed_builds(tool, project, runs, env, before, args.timeout)
        record["cases"][case] = summary
        if error:
            record["error"] = f"{case}: {error[-1500:]}"
            return record
        built = True
    if "deploy" in cases and tool.cache is not None and built:
        clone = args.work / f"n{n}" / f"{tool.name}-deploy"

        def deployed(k: int) -> None:  # the 1% edit lands in the clone, as a pushed commit
            fresh_clone(tool, project, clone)
            edit_one_percent(briefing_files(tool, clone), k)

        log(f"{tool.name} N={n}: deploy x{runs} (fresh clone + restored {tool.cache})")
        summary, error = timed_builds(tool, clone, runs, env, deployed, args.timeout)
        record["cases"]["deploy"] = summary
        shutil.rmtree(clone, ignore_errors=True)
        if error:
            record["error"] = f"deploy: {error[-1500:]}"
            return record
    if "server" in cases and tool.serve is not None and tool.name in servers:
        log(f"{tool.name} N={n}: server x{runs}")
        record["cases"]["server"] = measure_server(tool, project, n, runs, env, args.server_gap)
    return record


def merge_record(by_tool: dict[str, Any], name: str, record: dict[str, Any]) -> None:
    """Newer cases replace older ones; cases not measured this time are kept, so that one
    case can be re-measured alone. A failure replaces the whole record."""
    old = by_tool.get(name)
    if old and not record.get("error") and not old.get("error"):
        record["cases"] = {**old.get("cases", {}), **record["cases"]}
    by_tool[name] = record


def load_results(path: Path) -> dict[str, Any]:
    if path.exists():
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            log(f"{path} is not readable JSON; starting a new document")
    return {"results": {}, "versions": {}, "skipped": {}}


def save_results(path: Path, results: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, path)


def default_corpus_script() -> Path:
    """../shared/bench/make_corpus.py from the repo root, or from a worktree's ancestors."""
    relative = Path("shared") / "bench" / "make_corpus.py"
    for folder in REPO.parents:
        if (folder / relative).exists():
            return folder / relative
    return REPO.parent / relative


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("ns", nargs="+", type=int, metavar="N", help="numbers of briefings")
    p.add_argument("--runs", type=int, default=3, help="whole-process runs per case (median)")
    p.add_argument("--runs-for", default="", help="per-tool runs, e.g. pelican=1,mkdocs=1")
    p.add_argument("--tools", default="dossier,hugo,pelican,mkdocs")
    p.add_argument("--cases", default=",".join(CASES))
    p.add_argument("--servers", default="dossier,hugo", help="tools whose server is measured")
    p.add_argument("--server-gap", type=float, default=1.5, help="seconds of quiet between edits")
    p.add_argument("--timeout", type=float, default=1800.0, help="seconds per build")
    p.add_argument("--out", type=Path, default=BENCH / "results" / f"{dt.date.today()}.json")
    p.add_argument("--work", type=Path, default=BENCH / "work")
    p.add_argument("--corpus-script", type=Path, default=default_corpus_script())
    p.add_argument("--python", default=sys.executable, help="the interpreter that runs Dossier")
    p.add_argument("--repo", type=Path, default=REPO, help="the Dossier checkout to measure")
    args = p.parse_args(argv)
    args.work = args.work.resolve()
    args.corpus_script = args.corpus_script.resolve()
    if not args.corpus_script.exists():
        p.error(f"corpus script not found: {args.corpus_script} (use --corpus-script)")
    return args


def parse_runs_for(text: str, default: int) -> dict[str, int]:
    pairs = [item.split("=", 1) for item in text.split(",") if "=" in item]
    return {name.strip(): max(1, int(value)) for name, value in pairs} | {"_default": default}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    wanted = [t.strip() for t in args.tools.split(",") if t.strip()]
    cases = {c.strip() for c in args.cases.split(",") if c.strip()}
    servers = {s.strip() for s in args.servers.split(",") if s.strip()}
    runs_for = parse_runs_for(args.runs_for, args.runs)
    toolbox = collect_toolbox(
        wanted, args.repo.resolve(), args.work / "peers-venv", args.python, log
    )
    for name, why in toolbox.skipped.items():
        log(f"SKIPPING {name}: {why}")
    results = load_results(args.out)
    results["date"] = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    python = sys.version.split()[0]
    results["machine"] = f"{platform.platform()}, {os.cpu_count()} CPUs, Python {python}"
    given = argv if argv is not None else sys.argv[1:]
    results["command"] = "python bench/run.py " + " ".join(given)
    results.setdefault("versions", {}).update(toolbox.versions)
    results["skipped"] = toolbox.skipped
    for n in args.ns:
        for name, tool in toolbox.tools.items():
            runs = runs_for.get(name, runs_for["_default"])
            try:
                record = bench_tool(tool, n, runs, cases, servers, args)
            except Exception as e:  # a broken tool is a result, not the end of the run
                record = {"runs": runs, "error": f"{type(e).__name__}: {e}", "cases": {}}
            record["measured"] = results["date"]
            merge_record(results.setdefault("results", {}).setdefault(str(n), {}), name, record)
            save_results(args.out, results)
    print(report.markdown(results))
    log(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
