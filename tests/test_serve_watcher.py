"""The preview's watcher: what it reports for a save, as inotify sees it."""

from __future__ import annotations

from pathlib import Path

from tornado.ioloop import IOLoop

from dossier.serve.watcher import InotifyWatcher


def events_for(project: Path, act) -> list[tuple[str, bool]]:
    """Run ``act`` under a real inotify watcher; the (path, settled) pairs it reported."""
    loop = IOLoop(make_current=False)
    seen: list[tuple[str, bool]] = []

    async def run() -> None:
        watcher = InotifyWatcher(
            project,
            lambda p, settled=False: seen.append((p.relative_to(project).as_posix(), settled)),
        )
        act()
        await __import__("asyncio").sleep(0.2)
        watcher.close()

    loop.run_sync(run)
    loop.close()
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
