"""Zalo Official Account API simulator: `python -m simulators.zalo [--port 8400] ...`.

Flags (`--webhook-url URL`, `--rate-per-second 20`: one per `ZaloSimConfig` field) win
over `ZALO_SIM_*` environment variables. Lists are comma-separated.
"""

from simulators.common import serve
from simulators.zalo.app import create_app
from simulators.zalo.config import load_config

if __name__ == "__main__":
    serve("zalo", __doc__, load_config(), create_app)
