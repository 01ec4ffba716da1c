"""`python -m simulators.twilio [--port 8200] [--auth-token ...] [--rate-limit 100] ...`."""

from __future__ import annotations

from simulators.common import serve
from simulators.twilio.app import create_app
from simulators.twilio.config import load_config

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Start the Twilio simulator (flags override `TWILIO_SIM_*` environment variables)."""
    serve(
        argv,
        prog="python -m simulators.twilio",
        description="Twilio Messages API simulator. Lists are comma-separated; "
        "a number ending in * is a prefix.",
        config=load_config(),
        create_app=create_app,
    )


if __name__ == "__main__":
    main()
