"""`python -m simulators.zalo [--port 8400] [--webhook-url URL] [--rate-per-second 20] ...`."""

from __future__ import annotations

from simulators.common import serve
from simulators.zalo.app import create_app
from simulators.zalo.config import load_config

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Start the Zalo OA simulator (flags override `ZALO_SIM_*` environment variables)."""
    serve(
        argv,
        prog="python -m simulators.zalo",
        description="Zalo Official Account API simulator. Lists are comma-separated.",
        config=load_config(),
        create_app=create_app,
    )


if __name__ == "__main__":
    main()
