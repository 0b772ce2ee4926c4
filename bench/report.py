"""Writing a run into docs/performance.md (between its two bench markers) and docs/images/perf-*.png.

Everything outside the markers is written by hand (the analysis) and kept as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

BEGIN = "<!-- bench:begin (written by `python -m bench run`; edit outside these markers) -->"
END = "<!-- bench:end -->"

Rows = list[dict[str, Any]]


def fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def pick(rows: Rows, scenario: str, server: str, rate: float | None = None) -> dict[str, Any] | None:
    found = [r for r in rows if r["scenario"] == scenario and r["server"] == server]
    if rate is not None:
        found = sorted(found, key=lambda r: abs(r.get("rate", 0) - rate))
    return found[0] if found else None


def targets(rows: Rows, servers: list[str], shape: str) -> list[str]:
    """One line per target: the target, Circles' figure, whether it is met, and every peer's figure."""
    floor = pick(rows, "large circle", "websockets.broadcast")

    def capacity(row: dict[str, Any]) -> str:
        return f"{fmt(row['sockets'])} sockets, {fmt(row['kib_per_socket'])} KiB each"

    def fanout(row: dict[str, Any]) -> str:
        return f"{fmt(row['cpu_us_per_frame'], 2)} µs/frame ({fmt(floor_ratio(row), 2)}× floor)"

    def floor_ratio(row: dict[str, Any]) -> float | None:
        """Against websockets.broadcast() in the same scenario; None only when the floor was not measured."""
        base = floor.get("cpu_us_per_frame") if floor else None
        mine = row.get("cpu_us_per_frame")
        return mine / base if base and mine is not None else None

    def circles(row: dict[str, Any]) -> str:
        return (
            f"p99 {fmt(row['p99_ms'])} ms at {fmt(row['achieved_rate'], 0)}/s, "
            f"lost {fmt(row['lost'])}, doubled {fmt(row['doubled'])}"
        )

    def cut_seconds(row: dict[str, Any]) -> float | None:
        """How long a slow client held things up before it was cut: what the server's drop line says its
        oldest unsent frame waited, when it says so; else the time from the pause (an upper bound: it
        includes the time the buffers took to fill)."""
        return row.get("cut_waited_s") if row.get("cut_waited_s") is not None else row.get("cut_last_s")

    def slow(row: dict[str, Any]) -> str:
        change = row["p99_change"]
        text = (
            f"p99 {fmt(row['p99_before_ms'])} → {fmt(row['p99_after_ms'])} ms "
            f"({'—' if change is None else f'{100 * change:+.0f}%'}), lost {fmt(row['lost'])}, "
            f"cut {fmt(row['cut'])}/{fmt(row['slow'])}"
        )
        if row.get("cut_waited_s") is not None:
            text += f", its frames waited ≤ {fmt(row['cut_waited_s'], 2)} s"
        if row.get("cut_last_s") is not None:
            first = row.get("cut_first_s")
            text += f", {'' if first is None else fmt(first, 1) + '–'}{fmt(row['cut_last_s'], 1)} s after the pause"
        return text

    def slow_met(row: dict[str, Any]) -> bool:
        seconds = cut_seconds(row)
        return (
            row["p99_change"] is not None
            and row["p99_change"] <= 0.2
            and row["lost"] == 0
            and row["slow"] > 0
            and row["cut"] == row["slow"]
            and seconds is not None
            and seconds <= 2
        )

    def storm(row: dict[str, Any]) -> str:
        return (
            f"{fmt(row['resumed'])} resumed in {fmt(row['seconds'], 2)} s, "
            f"lost {fmt(row['lost'])}, doubled {fmt(row['doubled'])}"
        )

    def rest(row: dict[str, Any]) -> str:
        return f"p50 {fmt(row['p50_ms'], 2)} ms, p99 {fmt(row['p99_ms'], 2)} ms, {fmt(row['throughput'], 0)}/s"

    wanted = [
        (
            "≥ 15,000 idle sockets at ≤ 30 KiB each",
            "capacity",
            None,
            capacity,
            lambda r: r["sockets"] >= 15_000 and not r["failed"] and r["kib_per_socket"] <= 30,
        ),
        (
            "fan-out CPU per frame ≤ 2× websockets.broadcast()",
            "large circle",
            None,
            fanout,
            lambda r: (ratio := floor_ratio(r)) is not None and ratio <= 2,
        ),
        (
            "100 circles × 100 at 100 changes/s: p99 ≤ 25 ms",
            f"circles {shape}",
            100,
            circles,
            lambda r: (
                shape == "100x100"
                and r["rate"] == 100
                and r["achieved_rate"] >= 95
                and r["p99_ms"] is not None
                and r["p99_ms"] <= 25
                and r["lost"] == 0
                and r["doubled"] == 0
            ),
        ),
        (
            "slow 5%: others' p99 +≤ 20%, cut within 2 s",
            "slow 5%",
            None,
            slow,
            slow_met,
        ),
        (
            "10,000 resumes in ≤ 10 s, none lost or doubled",
            "reconnect storm",
            None,
            storm,
            lambda r: (
                r["resumed"] >= 10_000
                and not r["failed"]
                and r["seconds"] <= 10
                and r["lost"] == 0
                and r["doubled"] == 0
            ),
        ),
        ("finish-turn p50 ≤ 5 ms (SQLite)", "REST SQLite", None, rest, lambda r: r["p50_ms"] <= 5),
        ("finish-turn p50 ≤ 5 ms (PostgreSQL)", "REST PostgreSQL", None, rest, lambda r: r["p50_ms"] <= 5),
    ]
    peers = [s for s in servers if s != "Circles"]
    lines = ["| Target | Circles | Met | " + " | ".join(peers) + " |", "|---" * (3 + len(peers)) + "|"]
    for label, scenario, rate, show, met in wanted:
        row = pick(rows, scenario, "Circles", rate)
        cells = [show(row), "yes" if met(row) else "**no**"] if row else ["not run", "—"]
        for peer in peers:
            other = pick(rows, scenario, peer, rate)
            cells.append(show(other) if other else "n/a")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


COLUMNS = {
    "capacity": ["sockets", "failed", "connect_seconds", "rss_mib", "kib_per_socket"],
    "circles": [
        "sockets",
        "rate",
        "achieved_rate",
        "frames",
        "p50_ms",
        "p99_ms",
        "max_ms",
        "lost",
        "doubled",
        "server_cpu",
        "cpu_us_per_frame",
        "generator_cpu",
        "server_rss_mib",
        "finish_p50_ms",
        "server_frames",
        "server_dropped",
        "fanout_p99_ms",
    ],
    "slow 5%": [
        "sockets",
        "driven",
        "slow",
        "rate",
        "achieved_rate",
        "p99_before_ms",
        "p99_after_ms",
        "p99_change",
        "lost",
        "cut",
        "server_cut",
        "server_dropped",
        "cut_first_s",
        "cut_last_s",
        "cut_waited_s",
    ],
    "reconnect storm": [
        "sockets",
        "resumed",
        "failed",
        "seconds",
        "server_cpu",
        "generator_cpu",
        "lost",
        "doubled",
        "checked",
    ],
    "REST burst": ["requests", "answered", "refused", "failed", "p50_ms", "p99_ms", "seconds"],
    "REST": ["calls", "p50_ms", "p99_ms", "throughput"],
}


def table(rows: Rows) -> list[str]:
    lines = []
    for scenario in dict.fromkeys(r["scenario"] for r in rows):
        chosen = [r for r in rows if r["scenario"] == scenario]
        family = next((k for k in COLUMNS if scenario.startswith(k)), "circles")
        columns = [c for c in COLUMNS[family] if any(c in r for r in chosen)]
        lines += [f"#### {scenario}", "", "| server | " + " | ".join(columns) + " |", "|---" * (1 + len(columns)) + "|"]
        for row in chosen:
            lines.append(f"| {row['server']} | " + " | ".join(fmt(row.get(c), 2) for c in columns) + " |")
        lines.append("")
    return lines


def plots(rows: Rows, images: Path) -> list[str]:
    images.mkdir(parents=True, exist_ok=True)
    made = []
    shapes = [s for s in dict.fromkeys(r["scenario"] for r in rows) if s.startswith("circles ")]
    if shapes:
        figure, axes = plt.subplots(1, len(shapes), figsize=(6 * len(shapes), 4), squeeze=False)
        for axis, shape in zip(axes[0], shapes, strict=True):
            for server in dict.fromkeys(r["server"] for r in rows if r["scenario"] == shape):
                chosen = [r for r in rows if r["scenario"] == shape and r["server"] == server and r["p99_ms"]]
                axis.plot([r["rate"] for r in chosen], [r["p99_ms"] for r in chosen], marker="o", label=server)
            axis.set(
                title=f"{shape}: p99 to every member",
                xlabel="turn changes / s",
                ylabel="p99 latency (ms)",
                yscale="log",
            )
            axis.grid(True, alpha=0.3)
            axis.legend(fontsize=8)
        figure.tight_layout()
        figure.savefig(images / "perf-latency.png", dpi=110)
        plt.close(figure)
        made.append("perf-latency.png")
    for scenario, key, label, name in [
        ("capacity", "kib_per_socket", "KiB of server memory per idle socket", "perf-memory.png"),
        ("large circle", "cpu_us_per_frame", "server CPU µs per delivered frame", "perf-cpu.png"),
    ]:
        chosen = [r for r in rows if r["scenario"] == scenario and r.get(key) is not None]
        if not chosen:
            continue
        figure, axis = plt.subplots(figsize=(7, 3.5))
        axis.barh([r["server"] for r in chosen], [r[key] for r in chosen], color="#4a7")
        axis.set(title=f"{scenario}: {label}", xlabel=label)
        axis.grid(True, axis="x", alpha=0.3)
        figure.tight_layout()
        figure.savefig(images / name, dpi=110)
        plt.close(figure)
        made.append(name)
    return made


def write(document: Path, rows: Rows, servers: list[str], shape: str, header: list[str], notes: list[str]) -> None:
    images = plots(rows, document.parent / "images")
    body = [
        BEGIN,
        "",
        *header,
        "",
        "### Targets",
        "",
        *targets(rows, servers, shape),
        "",
        "### Every row",
        "",
        *table(rows),
    ]
    body += [f"![{name}](images/{name})" for name in images] + [""]
    if notes:
        body += ["### Notes from this run", "", *[f"- {n}" for n in notes], ""]
    body.append(END)
    generated = "\n".join(body)
    text = document.read_text() if document.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        text = before + generated + after
    else:
        text = text.rstrip() + "\n\n" + generated + "\n"
    document.write_text(text)
