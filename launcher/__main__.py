"""`python -m launcher` (what `make run` calls): the whole assistant, supervised.

Trains the Rasa model when its inputs changed, prepares the database, starts the
simulators, the notifier, the action server, Rasa and the gateway, prints where each
listens, restarts a part that crashes, and on Ctrl-C or SIGTERM stops every one of them.
"""

from __future__ import annotations

import argparse
import logging
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from launcher.model import ensure_model
from launcher.services import endpoints_for, plan_services, prepare_database
from launcher.stack import Stack, StackError, StackInterrupted
from settings import REPO_ROOT, get_settings
from settings.logs import install_redaction

log = logging.getLogger("launcher")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m launcher", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--log-dir",
        type=Path,
        default=REPO_ROOT / "var" / "log",
        help="one log file per part (default: var/log)",
    )
    parser.add_argument(
        "--logs-to-terminal", action="store_true", help="let every part write to this terminal"
    )
    parser.add_argument("--no-simulators", action="store_true", help="start no simulator")
    parser.add_argument(
        "--skip-db", action="store_true", help="do not migrate and import the catalog first"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the stack until Ctrl-C or SIGTERM; returns the exit status."""
    arguments = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s launcher: %(message)s")
    settings = get_settings()
    # The commands it logs hold Rasa's auth token; httpx is quieted (one line per probe).
    install_redaction(settings)
    try:
        model = ensure_model()
        if not arguments.skip_db:
            prepare_database(settings.database_url)
    except subprocess.CalledProcessError as error:
        log.error("set-up failed: %s", error)
        return 1
    stack = Stack(
        plan_services(
            settings,
            model=model,
            endpoints=endpoints_for(settings, REPO_ROOT / "var" / "run"),
            simulators=not arguments.no_simulators,
        ),
        log_dir=None if arguments.logs_to_terminal else arguments.log_dir,
    )

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        log.info("%s received; stopping every part", signal.Signals(signum).name)
        stack.stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        stack.start()
        print("\nThe assistant is running:\n\n" + stack.table() + "\n", flush=True)
        print(f"Web chat: {stack.services[-1].spec.url}   (Ctrl-C stops everything)", flush=True)
        stack.run_until_stopped()
    except StackInterrupted:
        pass
    except StackError as error:
        log.error("%s", error)
        return 1
    finally:
        stack.stop()
        log.info("every part has stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
