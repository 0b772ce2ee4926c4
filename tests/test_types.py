"""mypy, as configured in pyproject.toml ([tool.mypy]: strict, on src/), finds nothing: the README's test command
is what fails when the types do."""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_errors_in_src() -> None:
    report, errors, status = api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(ROOT / ".mypy_cache"), str(ROOT / "src")]
    )
    assert status == 0, report + errors
    assert report.startswith("Success: no issues found"), report
