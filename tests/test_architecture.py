"""The shape of the code: layers that point one way, and a map of it that is true.

Every import in ``dossier/`` counts, at the top of a module or inside a function: a
cycle hidden in a function is still two modules that cannot be understood apart.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dossier"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imported(name: str, path: Path) -> set[str]:
    """The dossier modules a module imports: ``from a.b import c`` names ``a.b.c`` when that
    is a module, else ``a.b``."""
    tree = ast.parse(path.read_text())
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


def graph() -> dict[str, set[str]]:
    return {name: imported(name, path) for name, path in MODULES.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_import_graph_of_dossier_has_no_cycle():
    edges = graph()
    assert sum(len(v) for v in edges.values()) > 50  # the graph was really read
    assert find_cycle(edges) is None, " -> ".join(find_cycle(edges) or [])


def test_the_domain_does_not_import_views_rendering_or_the_engine():
    """Briefings, facts and the site know nothing of pages, templates or builds."""
    domain = {
        "dossier.briefing",
        "dossier.annotations",
        "dossier.facts",
        "dossier.totals",
        "dossier.site",
        "dossier.content",
    }
    above = ("dossier.views", "dossier.render", "dossier.page", "dossier.engine", "dossier.build")
    edges = graph()
    for name in domain:
        assert name in MODULES, name
        wrong = {m for m in edges[name] if m.startswith(above)}
        assert not wrong, f"{name} imports {wrong}"


def private_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dossier"):
            found += [
                f"{node.module}.{a.name}"
                for a in node.names
                if a.name.startswith("_") and not a.name.startswith("__")
            ]
    return found


def test_no_module_imports_a_private_name_from_another():
    found = {str(p.relative_to(ROOT)): private_imports(p) for p in PACKAGE.rglob("*.py")}
    assert {k: v for k, v in found.items() if v} == {}


def test_private_imports_are_found(tmp_path: Path):
    path = tmp_path / "m.py"
    path.write_text("from dossier.build import _load, published\n")
    assert private_imports(path) == ["dossier.build._load"]


NAMED = re.compile(r"`(dossier(?:[./][A-Za-z_][A-Za-z0-9_]*)+(?:\.py|/)?)`")


def named_in(text: str) -> list[str]:
    return NAMED.findall(text)


def resolves(name: str) -> bool:
    """``dossier/x.py`` and ``dossier/x/`` are files; ``dossier.x.y`` a module or what a
    module defines (a class's attribute too)."""
    if "/" in name:
        return (ROOT / name).exists()
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        module = ".".join(parts[:split])
        if module not in MODULES:
            continue
        obj: object = importlib.import_module(module)
        for attr in parts[split:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def test_the_architecture_doc_names_only_what_exists():
    text = (ROOT / "docs/architecture.md").read_text()
    names = named_in(text)
    assert len(names) > 30  # the doc really maps the code
    missing = [n for n in names if not resolves(n)]
    assert missing == []


@pytest.mark.parametrize(
    ("name", "exists"),
    [
        ("dossier.site.assemble", True),
        ("dossier/site.py", True),
        ("dossier.site.no_such_function", False),
        ("dossier.content.SourceFile", False),
        ("dossier/no_such_module.py", False),
    ],
)
def test_the_doc_check_tells_real_names_from_invented_ones(name: str, exists: bool):
    assert resolves(name) is exists
