"""The packages form layers (docs/decisions.md, "Layers"): a package imports only from packages below it.

Read from the source with `ast`, every import counts: at the top of a module, inside a function, or under
`if TYPE_CHECKING:`. A new package must be given its place in LAYERS. No import goes up, so the packages
have no cycle; the last test says so in the words of a cycle, naming it, should one come back.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "circles"

# Lowest first. Top-level modules (circles.errors, circles.db, circles.dependencies, circles.app, …) are the
# shared kernel and the wiring, not concerns, and are not layered here.
LAYERS = (
    "metrics",  # what an operator can scrape: instruments any package counts with, and GET /metrics
    "talking_piece",  # the turn engine: pure Python
    "records",  # each concern's tables, public models and queries: read by any service above
    "access",  # who is asking, and whether they may enter a circle
    "audit",  # who did what
    "idempotency",  # replaying a request's first answer
    "event",  # a circle's log, and what is told after the commit (the outbox, private notices)
    "tenant",  # apps and their keys
    "round",  # rounds and turns: the talking piece's commands, run on its records
    "breakout",  # pairs and threes inside a circle, the piece passing in each; a seating change tells it
    "participant",  # seating; a seating change tells the round
    "gathering",  # planned rounds, started through the round
    "airtime",  # measures rounds and gatherings
    "support",  # requests for support, told privately
    "zoom",  # Zoom Apps: an app's Zoom client secret, and a Zoom user's app context made a seat
    "circle",  # the circle as a whole: closing ends its round; the snapshot reads everything in it
    "support_date",  # two people's standing meetings, each backed by a circle of its own
    "webhooks",  # endpoints an app registers, and the delivery that reads the log for them (a hub listener wakes it)
    "live",  # sockets, fan-out, presence
    "reference",  # the documents' pages
    "web",  # the page that follows a circle
)


def _package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else None


def _imports() -> dict[tuple[str, str], list[str]]:
    """(importing module, imported module) for every import between two of our packages, with where."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE.parent).with_suffix("")
        module = ".".join(relative.parts[:-1] if relative.name == "__init__" else relative.parts)
        package = module if relative.name == "__init__" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
                # `from circles import round` names a package; `from circles.round import service` a module
                targets = [f"{base}.{alias.name}" if base == "circles" else base for alias in node.names]
            else:
                continue
            source = _package_of(module)
            for target in targets:
                imported = _package_of(target) if target.startswith("circles.") else None
                if source is not None and imported is not None and imported != source:
                    found[(module, target)].append(f"{path.relative_to(SOURCE.parent.parent)}:{node.lineno}")
    return found


def test_every_package_has_a_layer() -> None:
    packages = {path.parent.name for path in SOURCE.glob("*/__init__.py")}
    assert packages - set(LAYERS) == set(), "give the new package its place in LAYERS (and docs/decisions.md)"
    assert set(LAYERS) - packages == set(), "a package in LAYERS is gone: strike it off"


def test_packages_import_only_from_below() -> None:
    rank = {package: index for index, package in enumerate(LAYERS)}
    going_up = {
        f"{module} imports {target} ({', '.join(where)})"
        for (module, target), where in _imports().items()
        if rank[_package_of(target) or ""] > rank[_package_of(module) or ""]
    }
    assert going_up == set(), (
        "an import goes up a layer: move the shared thing down to the lower package, or pass it in as a "
        "parameter (an import inside a function counts too)"
    )


def test_packages_form_no_cycle() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, target in _imports():
        graph[_package_of(module) or ""].add(_package_of(target) or "")
    visiting: list[str] = []
    done: set[str] = set()

    def visit(package: str) -> None:
        assert package not in visiting, f"a cycle: {' -> '.join([*visiting[visiting.index(package) :], package])}"
        if package in done:
            return
        visiting.append(package)
        for imported in sorted(graph[package]):
            visit(imported)
        visiting.pop()
        done.add(package)

    for package in LAYERS:
        visit(package)
