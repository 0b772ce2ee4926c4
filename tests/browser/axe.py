"""axe-core, Deque's accessibility engine, run over the circle page in Chromium.

No PyPI package ships axe-core, so the first run fetches the pinned package from the npm registry with
`npm pack` (bounded in time), checks it against the registry's sha512, and keeps only `axe.min.js` in a
cache outside the work tree, as tests/asyncapi_validation.py does for the AsyncAPI schema: a fresh machine
or CI needs no step of its own. Without npm or the registry the browser tests fail, saying why.

The script is added to each browser context as an init script, so it is there before the page's own
scripts, and the page's Content-Security-Policy (which allows no inline script) stays exactly as served.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest

AXE_PACKAGE = "axe-core@4.14.1"
AXE_INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
AXE_MEMBER = "package/axe.min.js"
NPM_SECONDS = 180
FAILING_IMPACTS = ("serious", "critical")  # what fails a test; minor and moderate findings are not errors

# Runs axe on the whole document once every transition has finished (a colour mid-fade is not the colour
# anyone reads), and returns the serious and critical violations, one entry per node.
_RUN = """async (impacts) => {
    document.getAnimations().forEach((animation) => animation.finish());
    const results = await axe.run(document, { resultTypes: ["violations"] });
    return results.violations
        .filter((rule) => impacts.includes(rule.impact))
        .flatMap((rule) => rule.nodes.map((node) => ({
            rule: rule.id,
            impact: rule.impact,
            help: rule.help,
            target: node.target.join(" "),
            html: node.html,
            summary: node.failureSummary,
        })));
}"""


def _cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "circles-tests" / AXE_PACKAGE.replace("@", "-")


@cache
def axe_source() -> str:
    """axe.min.js of the pinned axe-core, from the cache (fetched once)."""
    cached = _cache_dir() / "axe.min.js"
    if not cached.exists():
        _fetch(cached)
    return cached.read_text(encoding="utf-8")


def _fetch(target: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail(f"npm is not installed: it is needed once to fetch {AXE_PACKAGE} (the accessibility checks)")
    with tempfile.TemporaryDirectory() as folder:
        try:
            done = subprocess.run(
                [npm, "pack", "--silent", "--pack-destination", folder, AXE_PACKAGE],
                capture_output=True,
                text=True,
                timeout=NPM_SECONDS,
                cwd=folder,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"`npm pack {AXE_PACKAGE}` took more than {NPM_SECONDS} s")
        if done.returncode != 0:
            pytest.fail(f"`npm pack {AXE_PACKAGE}` failed ({done.returncode}):\n{done.stderr}")
        tarballs = list(Path(folder).glob("*.tgz"))
        assert len(tarballs) == 1, f"npm pack left {tarballs}"
        digest = base64.b64encode(hashlib.sha512(tarballs[0].read_bytes()).digest()).decode()
        assert f"sha512-{digest}" == AXE_INTEGRITY, f"{AXE_PACKAGE} is not the package pinned here"
        with tarfile.open(tarballs[0]) as archive:
            member = archive.extractfile(AXE_MEMBER)
            assert member is not None, f"{AXE_PACKAGE} has no {AXE_MEMBER}"
            script = member.read()
    assert b"axe" in script[:200], f"{AXE_MEMBER} does not look like axe-core"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(script)
    partial.replace(target)


def install(context: Any) -> None:
    """Every page of this browser context gets axe, before its own scripts run."""
    context.add_init_script(script=axe_source())


def violations(page: Any) -> list[dict[str, str]]:
    """The page's serious and critical violations now, one per node."""
    found: list[dict[str, str]] = page.evaluate(_RUN, list(FAILING_IMPACTS))
    return found


def describe(state: str, scheme: str, found: list[dict[str, str]]) -> str:
    lines = [f"axe-core ({AXE_PACKAGE}) found {len(found)} serious or critical violation(s) in {state!r} ({scheme}):"]
    for v in found:
        lines.append(f"- {v['rule']} ({v['impact']}): {v['help']}\n  node: {v['target']}\n  html: {v['html']}")
        lines.append("  " + v["summary"].replace("\n", "\n  "))
    return "\n".join(lines)
