"""Benchmarks: `python -m bench <scenario>` (see docs/performance.md)."""
