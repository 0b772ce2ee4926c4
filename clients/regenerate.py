"""`python -m clients.regenerate` (from the repository's root): regenerate both client libraries from
`openapi/openapi.json`; `--check` writes nothing and fails, naming each file, when the committed clients are not
what the generators make of the committed document (tests/clients/test_drift.py runs it).

What it makes (every other file in clients/ is written by hand):
- `clients/python/circles_client/`: the whole package, by openapi-python-client, except `live.py`;
- `clients/js/openapi.d.ts`: the REST types, by openapi-typescript;
- `clients/js/circles-live.js`: a copy of the circle page's live client, `src/circles/web/static/circles-live.js`,
  which stays the one source (the page serves it, the package ships this copy).

The generators are pinned (below) so that the same document always gives the same files. They are not the
project's dependencies: the first run installs them into a cache outside the work tree
(`$XDG_CACHE_HOME/circles-clients`, or `~/.cache/circles-clients`), openapi-python-client in a virtualenv of
its own (it pins many packages) and the npm packages with `npm install`; later runs reuse them.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PYTHON_GENERATOR = ("openapi-python-client==0.29.1", "ruff==0.17.6")  # ruff: its post hooks format the output
NPM_TOOLS = ("openapi-typescript@7.13.0", "typescript@5.9.3")  # typescript: openapi-typescript's peer; and tsc
INSTALL_SECONDS = 600

ROOT = Path(__file__).resolve().parents[1]
OPENAPI = Path("openapi/openapi.json")
LIVE_SOURCE = Path("src/circles/web/static/circles-live.js")
PYTHON_PACKAGE = Path("clients/python/circles_client")
HAND_WRITTEN = frozenset({PYTHON_PACKAGE / "live.py", PYTHON_PACKAGE / "py.typed"})
JS_REST_TYPES = Path("clients/js/openapi.d.ts")
JS_LIVE = Path("clients/js/circles-live.js")

# openapi-python-client's settings. Its post hooks run ruff in isolation, so no configuration around the
# output (ours, or a user's) changes what it writes.
PYTHON_CONFIG = """\
project_name_override: circles-client
package_name_override: circles_client
post_hooks:
  - "ruff check . --isolated --fix-only --extend-select=I --quiet"
  - "ruff format . --isolated --quiet"
"""


class GeneratorFailed(Exception):
    pass


def cache_root() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "circles-clients"


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One installer at a time per tool (two test runs may start together)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f"{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120) -> None:
    try:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise GeneratorFailed(f"`{' '.join(command)}` took more than {timeout} s") from None
    except FileNotFoundError:
        raise GeneratorFailed(f"`{command[0]}` is not installed") from None
    if done.returncode != 0:
        raise GeneratorFailed(f"`{' '.join(command)}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def python_generator() -> Path:
    """The virtualenv that holds the pinned openapi-python-client (installed on first use)."""
    folder = cache_root() / "-".join(p.replace("==", "-") for p in PYTHON_GENERATOR)
    ready = folder / "ready"
    with _locked(folder):
        if not ready.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a half-made one, from an install that was cut short
            venv.create(folder, with_pip=True)
            pip = [str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            _run([*pip, *PYTHON_GENERATOR], cwd=folder, timeout=INSTALL_SECONDS)
            ready.write_text("\n".join(PYTHON_GENERATOR) + "\n")
    return folder / "bin"


def npm_tools() -> Path:
    """The folder whose node_modules/.bin holds the pinned openapi-typescript and tsc (installed on first use)."""
    folder = cache_root() / "-".join(t.replace("@", "-") for t in NPM_TOOLS)
    ready = folder / "ready"
    with _locked(folder):
        if not ready.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            (folder / "package.json").write_text('{"private": true}\n')
            npm = shutil.which("npm")
            if npm is None:
                raise GeneratorFailed(f"npm is not installed: it is needed once to install {', '.join(NPM_TOOLS)}")
            install = [npm, "install", "--no-audit", "--no-fund", "--silent", "--save-exact", *NPM_TOOLS]
            _run(install, cwd=folder, timeout=INSTALL_SECONDS)
            ready.write_text("\n".join(NPM_TOOLS) + "\n")
    return folder / "node_modules" / ".bin"


def render(root: Path, into: Path) -> None:
    """Generate every generated file from `root`'s OpenAPI document and live client, under `into` (laid out as
    the repository is)."""
    document = root / OPENAPI
    with tempfile.TemporaryDirectory() as work:
        config = Path(work) / "config.yaml"
        config.write_text(PYTHON_CONFIG)
        bin_dir = python_generator()
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
        output = Path(work) / "circles_client"
        generate = [str(bin_dir / "openapi-python-client"), "generate", "--path", str(document)]
        generate += ["--config", str(config), "--meta", "none", "--output-path", str(output)]
        _run(generate, cwd=Path(work), env=env)
        shutil.copytree(output, into / PYTHON_PACKAGE, ignore=shutil.ignore_patterns("__pycache__", ".ruff_cache"))
    (into / JS_REST_TYPES).parent.mkdir(parents=True, exist_ok=True)
    # A field with a default is optional in what a client sends (openapi-typescript's default makes it required).
    typescript = [str(npm_tools() / "openapi-typescript"), str(document), "--default-non-nullable=false"]
    _run([*typescript, "-o", str(into / JS_REST_TYPES)], cwd=into)
    shutil.copyfile(root / LIVE_SOURCE, into / JS_LIVE)


def generated_files(root: Path) -> dict[Path, bytes]:
    """The generated files under `root`, by path: what render writes (or once wrote there)."""
    found = {JS_REST_TYPES: root / JS_REST_TYPES, JS_LIVE: root / JS_LIVE}
    files = {path: full.read_bytes() for path, full in found.items() if full.exists()}
    package = root / PYTHON_PACKAGE
    if package.exists():
        for full in sorted(package.rglob("*")):
            path = full.relative_to(root)
            if full.is_file() and path not in HAND_WRITTEN and "__pycache__" not in full.parts:
                files[path] = full.read_bytes()
    return files


def differences(root: Path = ROOT) -> tuple[dict[Path, bytes], list[str]]:
    """What the generators make now, and each way the committed files differ from it."""
    with tempfile.TemporaryDirectory() as fresh:
        render(root, Path(fresh))
        wanted = generated_files(Path(fresh))
    have = generated_files(root)
    changes = [f"{path}: missing" for path in sorted(wanted.keys() - have.keys())]
    changes += [f"{path}: no longer generated" for path in sorted(have.keys() - wanted.keys())]
    changes += [f"{path}: differs" for path in sorted(wanted.keys() & have.keys()) if wanted[path] != have[path]]
    return wanted, changes


def write(root: Path, wanted: dict[Path, bytes]) -> None:
    for path in generated_files(root).keys() - wanted.keys():
        (root / path).unlink()
    for path, content in wanted.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(content)
    for folder in sorted((root / PYTHON_PACKAGE).rglob("*"), reverse=True):  # folders left empty
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m clients.regenerate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; fail if the clients are out of date")
    args = parser.parse_args(argv)
    try:
        wanted, changes = differences(ROOT)
    except GeneratorFailed as failure:
        print(f"clients.regenerate: {failure}", file=sys.stderr)
        return 2
    if args.check:
        if changes:
            print("The clients are out of date: run `python -m clients.regenerate`.", file=sys.stderr)
            print("\n".join(f"  {change}" for change in changes), file=sys.stderr)
            return 1
        print("The clients are up to date.")
        return 0
    write(ROOT, wanted)
    print(f"Regenerated the clients ({len(changes)} file(s) changed)." if changes else "The clients were up to date.")
    for change in changes:
        print(f"  {change}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
