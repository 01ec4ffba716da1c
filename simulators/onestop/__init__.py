"""A simulator of a province's one-stop system (hệ thống một cửa điện tử).

It speaks the national portal's vocabulary (MaHoSo, TrangThaiHoSo, NgayHenTra, ...),
serves ≥ 10,000 seeded dossiers, a changes feed and status transitions, and injects
faults on demand. Start it with `python -m simulators.onestop`; configuration in
`simulators.onestop.config`, endpoints in `simulators.onestop.app`.
"""

from simulators.onestop.app import create_app
from simulators.onestop.config import SimConfig, parse_config
from simulators.onestop.faults import FaultSettings
from simulators.onestop.server import running_simulator

__all__ = ["FaultSettings", "SimConfig", "create_app", "parse_config", "running_simulator"]
