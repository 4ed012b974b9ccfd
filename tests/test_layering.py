"""The package's import graph and its one reader of the environment (issue 11 items 6 and 7).

Every import counts, also the ones inside functions (a lazy import is still a dependency). Arrows
point inward (docs/architecture.md): domain imports only domain; datafiles imports domain (and the
settings); store imports domain, datafiles and the settings; app everything but cli. No cycle between
two store modules beyond the three listed as known (``store/log`` <-> ``store/roles`` was one; gone). Only ``scc_tui/settings.py`` reads the
process environment; the CLI reads it once through it and passes it down.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "scc_tui"

# csvout: the one CSV writer (text in, text out; imports nothing of ours), usable from any layer.
ALLOWED = {
    "domain": {"domain", "csvout"},
    "datafiles": {"domain", "datafiles", "settings", "csvout"},
    "store": {"domain", "datafiles", "store", "settings", "csvout"},
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """Every scc_tui module named by an import in the file (``from x import y``: x, and x.y when y is a
    module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.add(mod)
            for a in node.names:
                out.add(f"{mod}.{a.name}")
    return {m for m in out if m.split(".")[0] == "scc_tui"}


def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PKG.rglob("*.py")}
    out = {}
    for name, path in files.items():
        out[name] = {m for m in imports(path) if m in files and m != name}
    return out


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_arrows_point_inward():
    bad = []
    for mod, deps in graph().items():
        allowed = ALLOWED.get(layer(mod))
        for dep in deps:
            if dep == "scc_tui":
                continue
            if allowed is not None and layer(dep) not in allowed:
                bad.append(f"{mod} imports {dep}")
            if layer(mod) == "app" and layer(dep) == "cli":
                bad.append(f"{mod} imports {dep}")
    assert bad == []


#: The modules of ``scc_tui.app`` that may import ``scc_tui.store``, each with why. Every other app
#: module reaches the store through the injected seam (``app/seam.py``'s ``StoreSeam``), so tests can
#: give the App an in-memory fake and no screen runs a query of its own.
APP_STORE_IMPORTS = {
    # The seam itself: every store call the app and its screens make.
    "scc_tui.app.db_seam": "DbSeam(store) implements StoreSeam over the real Store",
    # Exercise mode's own tables (the runner's injects, the shared clock in scc_meta, the real-world
    # emergency stop) are no part of what the board, log or agenda ask; those go through DbSeam too.
    "scc_tui.app.exercise": "the exercise runner and its scc_meta state",
    # Only where the demo database file lives (a platformdirs path, no database I/O), for the empty
    # board's hint.
    "scc_tui.app.demo_hint": "store.demo.default_demo_path",
}


def test_the_app_reaches_the_store_only_through_the_seam():
    bad = []
    for mod, deps in graph().items():
        if layer(mod) == "app" and mod not in APP_STORE_IMPORTS:
            bad += [f"{mod} imports {dep}" for dep in sorted(deps) if layer(dep) == "store"]
    assert bad == []
    # and the exceptions are real: a stale entry would hide a new one under its name
    assert all(any(layer(d) == "store" for d in graph()[m]) for m in APP_STORE_IMPORTS)


def test_no_store_attribute_in_the_app():
    """No ``app.store`` / ``self.store`` in the app's screens and widgets: the seam is ``app.seam``
    (``DbSeam.store`` and the exercise app's ``exercise_store`` are the two holders of a store)."""
    bad = []
    for path in (PKG / "app").rglob("*.py"):
        if path.name in ("db_seam.py", "exercise.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "store":
                bad.append(f"{path.relative_to(PKG.parent)}:{node.lineno}")
    assert bad == []


def _cycles(g: dict[str, set[str]], within: str) -> list[list[str]]:
    nodes = {n for n in g if n.startswith(within + ".")}
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for d in sorted(g[n] & nodes):
            if state.get(d) == 1:
                found.append(stack[stack.index(d):] + [d])
            elif d not in state:
                visit(d)
        stack.pop()
        state[n] = 2

    for n in sorted(nodes):
        if n not in state:
            visit(n)
    return found


#: Cycles between store modules that were there before issue 11 and are not broken yet (each through a
#: lazy import). The list may only shrink: a new cycle fails.
KNOWN_STORE_CYCLES = {
    frozenset({"scc_tui.store.actions", "scc_tui.store.escalations"}),
    frozenset({"scc_tui.store.log", "scc_tui.store.areas"}),
    frozenset({"scc_tui.store.db", "scc_tui.store.schema"}),
}


def test_no_new_cycles_between_store_modules():
    found = {frozenset(c) for c in _cycles(graph(), "scc_tui.store")}
    assert frozenset({"scc_tui.store.log", "scc_tui.store.roles"}) not in found
    assert found - KNOWN_STORE_CYCLES == set()


def test_no_cycles_in_the_domain():
    assert _cycles(graph(), "scc_tui.domain") == []


def test_the_domain_does_not_load_plans_itself():
    """``domain/scoring`` gets plans from the registry the program registers (or one passed in)."""
    assert "scc_tui.datafiles.methods" not in graph()["scc_tui.domain.scoring"]


def test_no_private_names_from_another_store_module():
    """e.g. ``from scc_tui.store.db import _lock_key``: the public ``store.lock(session, name)`` instead."""
    bad = []
    for path in (PKG / "store").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scc_tui.store.db"):
                bad += [f"{path.name}: {a.name}" for a in node.names if a.name.startswith("_")]
    assert bad == []


def _reads_environment(tree: ast.AST) -> list[int]:
    """Lines that touch the process environment: ``os.environ``/``os.getenv``/... (``os`` under any
    name it was imported as) or ``from os import environ``/``getenv``."""
    names = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}
    aliases = {"os", "posix"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases |= {a.asname for a in node.names if a.name in ("os", "posix") and a.asname}
    lines = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr in names and isinstance(node.value, ast.Name)
                and node.value.id in aliases):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module in ("os", "posix") and any(
                a.name in names for a in node.names):
            lines.append(node.lineno)
    return lines


def test_only_settings_reads_the_environment():
    bad = []
    for path in PKG.rglob("*.py"):
        if path == PKG / "settings.py":
            continue
        for line in _reads_environment(ast.parse(path.read_text(encoding="utf-8"))):
            bad.append(f"{path.relative_to(PKG.parent)}:{line}")
    assert bad == []


def test_the_environment_check_sees_each_spelling():
    for code in ("import os\nos.environ.get('X')", "import os\nos.getenv('X')", "from os import environ",
                 "from os import getenv\ngetenv('X')", "import os\nx = os.environ['X']",
                 "import os as o\no.environ.get('X')"):
        assert _reads_environment(ast.parse(code)), code
    assert not _reads_environment(ast.parse("import os\nos.path.join('a')"))
    assert not _reads_environment(ast.parse("def f(environ):\n    return environ.get('X')"))  # a mapping given
