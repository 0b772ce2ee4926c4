"""The README's front door stays true: CI runs the very test command the README gives."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readmes_test_command() -> None:
    ci_commands = [
        line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line.startswith("python3 -m venv")
    ]
    assert len(ci_commands) == 1
    assert ci_commands[0] in (ROOT / "README.md").read_text()


def test_the_quick_start_has_exactly_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [line for line in quick_start.splitlines() if line.startswith("python3 -m venv")]
    assert len(commands) == 2
    assert commands[0].endswith("circles serve") and commands[1].endswith("pytest")


def test_every_setting_is_documented() -> None:
    from circles.settings import Settings

    docs = (ROOT / "README.md").read_text() + (ROOT / "docs" / "deploy.md").read_text()
    undocumented = [
        f"CIRCLES_{name.upper()}" for name in Settings.model_fields if f"CIRCLES_{name.upper()}" not in docs
    ]
    assert undocumented == []
