"""The preview's watcher: what it reports for a save, as inotify sees it."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from dossier.serve.watcher import InotifyWatcher


def events_for(project: Path, act) -> list[tuple[str, bool]]:
    """Run ``act`` under a real inotify watcher, on an event loop of its own thread (the
    browser tests' Playwright keeps one running in this one); the (path, settled) pairs."""
    seen: list[tuple[str, bool]] = []

    def report(path: Path, settled: bool = False) -> None:
        seen.append((path.relative_to(project).as_posix(), settled))

    async def run() -> None:
        watcher = InotifyWatcher(project, report)
        act()
        await asyncio.sleep(0.2)
        watcher.close()

    thread = threading.Thread(target=lambda: asyncio.run(run()))
    thread.start()
    thread.join(10)
    return seen


def test_a_save_is_reported_as_written_then_settled(make_project):
    project = make_project({"content/briefings/a.md": "x"})

    def save() -> None:
        with open(project / "content/briefings/a.md", "w") as f:
            f.write("first half ")
            f.flush()
            f.write("second half")

    seen = events_for(project, save)
    assert ("content/briefings/a.md", False) in seen  # the writes: more may follow
    assert seen[-1] == ("content/briefings/a.md", True)  # closed: the build may start


def test_an_editor_s_rename_into_place_is_settled(make_project):
    project = make_project({"content/briefings/a.md": "x"})

    def save() -> None:
        tmp = project / "content/briefings/.a.md.swp"
        tmp.write_text("new")
        tmp.rename(project / "content/briefings/a.md")

    seen = events_for(project, save)
    assert seen[-1] == ("content/briefings/a.md", True)
    assert not [p for p, _ in seen if "swp" in p]  # editor temp files are ignored
