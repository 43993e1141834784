"""The layering the README promises, checked on the source (lazy imports included).

- core imports no plugin, no engagements and no workers: it reaches them through hooks;
- a plugin (first-party, engagements, the sample outside plugin) imports core only
  through ``core.api``, migrations included, and no other plugin;
- no module imports itself back through others (a package importing its own
  submodules to register their routes is the one accepted shape).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OURS = ("core", "plugins", "engagements", "workers")
PLUGIN_ROOTS = [*sorted(p for p in (ROOT / "plugins").iterdir() if (p / "plugin.py").exists()),
                ROOT / "engagements", ROOT / "tests" / "sample_plugin" / "dc_sample_plugin"]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, imported module or module.name) for every import statement, at any depth."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def core_attribute_uses(path: Path) -> list[tuple[int, str]]:
    """``core.something`` reached by attribute (e.g. ``core.models.UTCDateTime`` in a migration)."""
    uses = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "core"
                and node.attr != "api"):
            uses.append((node.lineno, f"core.{node.attr}"))
    return uses


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "build" not in p.relative_to(ROOT).parts)


def test_core_imports_no_plugin_engagements_or_workers():
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in python_files(ROOT / "core")
        for line, name in imports_of(path)
        if name.split(".")[0] in ("plugins", "engagements", "workers")
    ]
    assert offences == []


def test_plugins_reach_core_only_through_core_api():
    offences = []
    for plugin_root in PLUGIN_ROOTS:
        for path in python_files(plugin_root):
            for line, name in imports_of(path):
                top = name.split(".")[0]
                if top == "core" and name not in ("core", "core.api") and not name.startswith("core.api."):
                    offences.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
                if top in ("plugins", "engagements", "workers", "dc_sample_plugin") and top != plugin_root.parts[-1]:
                    own = ".".join(plugin_root.relative_to(ROOT).parts)
                    if not (name == own or name.startswith(own + ".")):
                        offences.append(f"{path.relative_to(ROOT)}:{line} imports another package's {name}")
            offences += [f"{path.relative_to(ROOT)}:{line} uses {use}" for line, use in core_attribute_uses(path)]
    assert offences == []


def test_the_layering_check_sees_what_it_should(tmp_path):
    """The helpers catch a lazy import inside a function and a migration's attribute use."""
    sample = tmp_path / "probe.py"
    sample.write_text("import core.models\n\ndef f():\n    from core.clusters.models import Cluster\n"
                      "    return core.models.UTCDateTime\n")
    assert [n for _, n in imports_of(sample)] == ["core.models", "core.clusters.models", "core.clusters.models.Cluster"]
    assert core_attribute_uses(sample) == [(5, "core.models")]


def test_no_import_cycles():
    modules = {module_name(p): p for top in OURS for p in python_files(ROOT / top)}
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for _, target in imports_of(path):
            if target in modules and target != name:
                # A package gathering its own submodules (blueprint routes) is not a cycle of concerns.
                if path.name == "__init__.py" and target.startswith(name + "."):
                    continue
                graph[name].add(target)
    cycles = _strongly_connected(graph, list(modules))
    assert cycles == []


def _strongly_connected(graph: dict[str, set[str]], nodes: list[str]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return found
