"""`python -m simulators.twilio [--port 8200] [--auth-token ...] [--rate-limit 100] ...`."""

from __future__ import annotations

import argparse
import logging

import uvicorn

from simulators.common import add_config_arguments, config_from_args
from simulators.twilio.app import create_app
from simulators.twilio.config import TwilioSimConfig, load_config

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Start the Twilio simulator (flags override `TWILIO_SIM_*` environment variables)."""
    parser = argparse.ArgumentParser(
        prog="python -m simulators.twilio",
        description="Twilio Messages API simulator. Lists are comma-separated; "
        "a number ending in * is a prefix.",
    )
    add_config_arguments(parser, TwilioSimConfig)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--access-log", action="store_true", help="log every request")
    arguments = parser.parse_args(argv)
    config = config_from_args(load_config(), arguments)
    logging.basicConfig(level=arguments.log_level.upper())
    uvicorn.run(
        create_app(config),
        host=config.host,
        port=config.port,
        log_level=arguments.log_level,
        access_log=arguments.access_log,
    )


if __name__ == "__main__":
    main()
