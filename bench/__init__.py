"""Benchmarks: Circles beside its peers (see docs/performance.md)."""
