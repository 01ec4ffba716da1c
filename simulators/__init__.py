"""Simulators of the external systems the assistant talks to (separate processes).

Each is a faithful test double of a documented external API, run with
`python -m simulators.<name>`. Nothing in the application imports them; they import
only neutral pure helpers (such as `workdays`).
"""
