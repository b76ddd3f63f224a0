"""Commands and exit codes: 0 success, 1 content errors, 2 usage errors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from dossier import __version__
from dossier.build import BuildOptions, build_site, check_site
from dossier.errors import DossierError, Problem

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _progress(enabled: bool) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    """A rich progress bar on a terminal for long builds; silence when piped."""
    if not enabled or not sys.stderr.isatty():
        return None, lambda: None
    from rich.progress import Progress

    bar = Progress(transient=True, console=None)
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if total < 50:
            return
        if task is None:
            bar.start()
            task = bar.add_task("Reading briefings", total=total)
        bar.update(task, completed=done)

    return update, bar.stop


def cmd_build(args: argparse.Namespace) -> int:
    update, stop = _progress(not args.quiet)
    try:
        result = build_site(
            args.project,
            BuildOptions(
                drafts=args.drafts,
                output=args.output,
                base_url=_base_url(args.base_url),
                progress=update,
            ),
        )
    finally:
        stop()
    for w in result.warnings:
        print(w, file=sys.stderr)
    for path, day in result.scheduled:
        print(
            f"{path}: dated {day.isoformat()}, after today: left out of this build until "
            "then (`build --drafts` and `serve` show it)",
            file=sys.stderr,
        )
    if not args.quiet and result.site is None:
        print(
            f"nothing changed since the last build; {result.output} is up to date "
            f"({result.briefings} briefings, {result.pages} pages; {result.seconds:.2f} s)",
            file=sys.stderr,
        )
    elif not args.quiet:
        print(
            f"built {len(result.site.briefings)} briefings, {result.pages} pages into "
            f"{result.output} in {result.seconds:.2f} s",
            file=sys.stderr,
        )
    return EXIT_OK


def _base_url(raw: str | None) -> str | None:
    """--base-url gets site.yaml's rules (an absolute http(s) URL, a trailing '/')."""
    if raw is None:
        return None
    from dossier.annotations import is_web_url

    if not is_web_url(raw) or "?" in raw or "#" in raw:
        raise DossierError(
            [
                Problem(
                    "--base-url",
                    None,
                    "",
                    f"{raw!r} is not an absolute http(s) URL",
                    "e.g. https://example.org/briefings/",
                )
            ]
        )
    return raw if raw.endswith("/") else raw + "/"


def cmd_check(args: argparse.Namespace) -> int:
    warnings = check_site(args.project, BuildOptions())
    for w in warnings:
        print(w, file=sys.stderr)
    if warnings and args.strict:
        print(f"{len(warnings)} warnings (errors under --strict)", file=sys.stderr)
        return EXIT_CONTENT
    print(f"ok: no errors, {len(warnings)} warnings", file=sys.stderr)
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from dossier.scaffold import write_site

    written = write_site(args.dir, args.title)
    print(f"wrote a new site in {args.dir} ({len(written)} files)", file=sys.stderr)
    print(f"next: cd {args.dir} && dossier serve", file=sys.stderr)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from dossier.jsonschema import SCHEMA_FILES, schema_text, write_schemas

    if args.dir is None:
        sys.stdout.write(schema_text("briefing"))
        return EXIT_OK
    for path in write_schemas(args.dir):
        print(f"wrote {path}", file=sys.stderr)
    print(f"schemas for {', '.join(SCHEMA_FILES)} are in {args.dir}", file=sys.stderr)
    return EXIT_OK


# Commands that live with the module owning them; importing those modules (Tornado, the
# importer's patterns) costs 0.3 s, so `build` and `check` do without them.
OPTIONAL_COMMANDS = ("serve", "import", "new")


def wants_optional_commands(argv: Sequence[str]) -> bool:
    """True unless argv surely runs `build` or `check` (any doubt imports them all)."""
    return any(a in OPTIONAL_COMMANDS or a in ("-h", "--help") for a in argv)


def make_parser(optional: bool = True, prog: str = "dossier") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Dossier: build a static site of annotated briefings.",
    )
    parser.add_argument("--version", action="version", version=f"Dossier {__version__}")
    parser.add_argument(
        "--project",
        type=Path,
        default=Path.cwd(),
        help="the project folder holding site.yaml (default: the current folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser(
        "build",
        help="build the site (the default command)",
        description="Validate every briefing and build the site.",
    )
    b.add_argument(
        "--drafts", action="store_true", help="include drafts and future-dated briefings"
    )
    b.add_argument("--output", type=Path, help="output folder (default: output_dir in site.yaml)")
    b.add_argument(
        "--base-url",
        help="publish under this URL instead of site.yaml's base_url (a CI's Pages URL)",
    )
    b.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    b.set_defaults(func=cmd_build)

    c = sub.add_parser(
        "check",
        help="validate only; write nothing",
        description="Validate every briefing, template and setting; write nothing.",
    )
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")
    c.set_defaults(func=cmd_check)

    i = sub.add_parser(
        "init",
        help="start a new site in an empty folder",
        description="Write a ready site into DIR: site.yaml, an example briefing, "
        "content/entities.yaml, deploy workflows and editor settings. DIR must be empty.",
    )
    i.add_argument(
        "dir",
        type=Path,
        nargs="?",
        default=Path("."),
        metavar="DIR",
        help="the new site's folder, made if missing (default: the current folder)",
    )
    i.add_argument("--title", help="the site's title (default: from the folder's name)")
    i.set_defaults(func=cmd_init)

    s = sub.add_parser(
        "schema",
        help="write JSON Schemas for front matter, site.yaml and entities.yaml",
        description="Write JSON Schema (draft 2020-12) files for briefing front matter, "
        "site.yaml and content/entities.yaml, made from the validator's own field "
        "definitions. Never overwrites a file that differs.",
    )
    s.add_argument(
        "dir",
        type=Path,
        nargs="?",
        metavar="DIR",
        help="the folder to write them into (default: print the briefing schema)",
    )
    s.set_defaults(func=cmd_schema)

    for register in _optional_commands() if optional else ():
        register(sub)
    for command in sub.choices.values():  # `build.py check --project DIR` works too
        command.add_argument(
            "--project",
            type=Path,
            default=argparse.SUPPRESS,
            help="the project folder holding site.yaml",
        )
    return parser


def _optional_commands() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Commands that live with the module owning them (serve, import, new)."""
    found = []
    for module, attr in (("dossier.serve", "add_parser"), ("dossier.importer.cli", "add_parsers")):
        try:
            mod = __import__(module, fromlist=[attr])
        except ModuleNotFoundError as exc:
            if exc.name and module.startswith(exc.name):
                continue
            raise
        found.append(getattr(mod, attr))
    return found


def with_default_command(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """`python build.py [--project DIR] [build options]` means `build`."""
    commands = set(_subcommands(parser))
    if any(a in commands for a in argv) or any(a in ("-h", "--help", "--version") for a in argv):
        return argv
    i = 0
    while i < len(argv) and argv[i].startswith("--project"):
        i += 1 if "=" in argv[i] else 2
    return [*argv[:i], "build", *argv[i:]]


def _subcommands(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if prog is None:
        prog = "build.py" if Path(sys.argv[0]).name == "build.py" else "dossier"
    parser = make_parser(optional=wants_optional_commands(words), prog=prog)
    args = parser.parse_args(with_default_command(parser, words))
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except DossierError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("interrupted; the previous output is untouched", file=sys.stderr)
        return 130
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(
            f"error: {exc.strerror or exc}{where}; the previous output is untouched",
            file=sys.stderr,
        )
        return EXIT_CONTENT
