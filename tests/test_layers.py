"""The packages form layers (docs/decisions.md, "Layers"): a package imports only from packages below it.

Read from the source with `ast`, every import counts: at the top of a module, inside a function, or under
`if TYPE_CHECKING:`. A new package must be given its place in LAYERS. The imports that still go up are
listed one by one in GOING_UP, each with why; the list only shrinks: an entry whose import is gone fails too,
so it is struck off as soon as the tie is cut. When it is empty, the packages have no cycle at all.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "circles"

# Lowest first. Top-level modules (circles.errors, circles.db, circles.dependencies, circles.app, …) are the
# shared kernel and the wiring, not concerns, and are not layered here.
LAYERS = (
    "talking_piece",  # the turn engine: pure Python
    "access",  # who is asking, and whether they may enter a circle
    "audit",  # who did what
    "idempotency",  # replaying a request's first answer
    "event",  # a circle's log, and what is told after the commit
    "tenant",  # apps and their keys
    "round",  # rounds and turns: the talking piece, stored
    "participant",  # seating; a seating change tells the round
    "gathering",  # planned rounds, started through the round
    "airtime",  # measures rounds and gatherings
    "support",  # requests for support, told privately
    "circle",  # the circle as a whole: closing ends its round; the snapshot reads everything in it
    "live",  # sockets, fan-out, presence
    "reference",  # the documents' pages
    "web",  # the page that follows a circle
)

# Imports that still go up: (importing module, imported module). Every one reads another package's records
# (its table models or its repository) except support's, which notes a private notice through live. A
# records layer beneath the services (the tables and their queries, as polar keeps them in polar/models)
# cuts all the record reads at once; moving live/private.py down with the outbox cuts support's.
GOING_UP = {
    # authentication reads app keys and tokens; enter_circle reads the circle and the caller's seat
    ("circles.access.repository", "circles.circle.models"),
    ("circles.access.repository", "circles.participant.models"),
    ("circles.access.repository", "circles.tenant.models"),
    ("circles.access.principal", "circles.circle"),
    ("circles.access.principal", "circles.circle.models"),
    ("circles.access.principal", "circles.participant"),
    # the log bumps the circle's seq; the payloads carry each concern's public model
    ("circles.event.log", "circles.circle.models"),
    ("circles.event.payloads", "circles.circle.models"),
    ("circles.event.payloads", "circles.gathering.models"),
    ("circles.event.payloads", "circles.participant.models"),
    ("circles.event.payloads", "circles.round.models"),
    # a round command reads the circle (its lock, its timing defaults) and who is seated
    ("circles.round.mapping", "circles.circle.models"),
    ("circles.round.models", "circles.circle.models"),
    ("circles.round.service", "circles.circle"),
    ("circles.round.service", "circles.circle.models"),
    ("circles.round.service", "circles.participant"),
    # seating reads the circle's status; erasing a participant erases their requests for support
    ("circles.participant.service", "circles.circle.models"),
    ("circles.participant.service", "circles.support"),
    ("circles.gathering.service", "circles.circle.models"),
    # a request for support is told to the keepers' sockets after the commit
    ("circles.support.service", "circles.live"),
}


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
        if rank[_package_of(target) or ""] > rank[_package_of(module) or ""] and (module, target) not in GOING_UP
    }
    assert going_up == set(), (
        "an import goes up a layer: move the shared thing down to the lower package, or pass it in as a "
        "parameter (an import inside a function counts too)"
    )


def test_every_import_listed_as_going_up_still_does() -> None:
    """So the list only shrinks: strike off an entry when its import is gone."""
    assert GOING_UP - set(_imports()) == set()


@pytest.mark.xfail(reason="the imports in GOING_UP still tie packages into a cycle", strict=True)
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
