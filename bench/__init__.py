"""Benchmarks. Each module prints its figure as a ratio against a baseline measured in
the same run (never a bare time), e.g. `python -m bench.gap_report`."""
