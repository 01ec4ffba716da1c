"""`python -m simulators.telegram [--port 8300] [--tokens 123:abc,...] [--global-rate 30] ...`."""

from __future__ import annotations

from simulators.common import serve
from simulators.telegram.app import create_app
from simulators.telegram.config import load_config

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Start the Telegram simulator (flags override `TELEGRAM_SIM_*` environment variables)."""
    serve(
        argv,
        prog="python -m simulators.telegram",
        description="Telegram Bot API simulator. Lists are comma-separated.",
        config=load_config(),
        create_app=create_app,
    )


if __name__ == "__main__":
    main()
