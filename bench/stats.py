"""Merging the load generators' answers, and percentiles from their histograms."""

from __future__ import annotations

from typing import Any

from bench.loadgen import BUCKETS, bucket_upper


def merge(answers: list[dict[str, Any]]) -> dict[str, Any]:
    histogram = [0] * BUCKETS
    for answer in answers:
        for index, count in enumerate(answer["histogram"]):
            histogram[index] += count
    return {
        "histogram": histogram,
        "frames": sum(a["frames"] for a in answers),
        "max": max(a["max"] for a in answers),
        "lost": sum(a.get("lost", 0) for a in answers),
        "doubled": sum(a.get("doubled", 0) for a in answers),
        "checked": sum(a.get("checked", 0) for a in answers),
        "closed": sum(sum(a["closed"].values()) for a in answers),
    }


def percentile(histogram: list[int], fraction: float) -> float | None:
    """The upper edge of the bucket holding that fraction of the deliveries (2% resolution), in seconds."""
    total = sum(histogram)
    if not total:
        return None
    wanted = fraction * total
    seen = 0
    for index, count in enumerate(histogram):
        seen += count
        if seen >= wanted:
            return bucket_upper(index)
    return bucket_upper(len(histogram) - 1)


def summarize(merged: dict[str, Any]) -> dict[str, Any]:
    def ms(value: float | None) -> float | None:
        return None if value is None else 1e3 * value

    return {
        "frames": merged["frames"],
        "p50_ms": ms(percentile(merged["histogram"], 0.50)),
        "p99_ms": ms(percentile(merged["histogram"], 0.99)),
        "max_ms": ms(merged["max"]) if merged["frames"] else None,
        "lost": merged["lost"],
        "doubled": merged["doubled"],
        "histogram": merged["histogram"],
    }
