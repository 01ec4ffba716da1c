"""Test support shared by `tests/` and `bench/`: fakes, and harnesses that run real processes.

A top-level package (not under `tests/`) because the bench imports it too; both find it
on the repository root, which `make` puts on PYTHONPATH and pytest on its `pythonpath`.
Production code never imports it.
"""
