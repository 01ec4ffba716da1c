"""Benchmarks behind the issues' figures: `make bench` prints one table."""
