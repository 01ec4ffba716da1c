"""Import review from the command line, for operators (the console does the same for staff).

python -m catalog.cli import-national PATH --stage     # a review; nothing goes live
python -m catalog.cli review-national ID              # its changes, with their numbers
python -m catalog.cli publish-national ID [--hold N ...]
python -m catalog.cli release-national N              # a held change goes live
python -m catalog.cli discard-national ID
"""

from __future__ import annotations

import argparse
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.national.models import NationalChange, NationalImport
from catalog.national.review import ReviewError, discard, hold, publish, release
from db import make_engine, make_session_factory

__all__ = ["add_review_commands", "run_review_command", "REVIEW_COMMANDS"]

log = logging.getLogger("catalog")

REVIEW_COMMANDS = ("review-national", "publish-national", "release-national", "discard-national")


def add_review_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the review commands to the catalog CLI's sub-commands."""
    for name, target, help_text in (
        ("review-national", "import_id", "list a staged import's changes"),
        ("publish-national", "import_id", "publish a staged import (--hold: keep changes back)"),
        ("release-national", "change_id", "release a held change of an import"),
        ("discard-national", "import_id", "drop a staged import"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument(target, type=int)
        command.add_argument("--database-url", default=None, help="default: DATABASE_URL")
        if name == "publish-national":
            command.add_argument("--hold", type=int, action="append", default=[], metavar="N")


def _show(session: Session, import_id: int) -> None:
    run = session.get(NationalImport, import_id)
    if run is None:
        raise ReviewError(f"Không có lần nhập dữ liệu quốc gia số {import_id}.")
    log.info("import %d (%s, %s): %s", run.id, run.source, run.fetched_on, run.status.value)
    query = select(NationalChange).where(NationalChange.import_id == import_id)
    for change in session.scalars(query.order_by(NationalChange.id)):
        what = change.field or "(whole record)" if change.kind == "changed" else change.kind
        log.info("  %6d  %-10s %-12s %s", change.id, change.state.value, change.code, what)


def run_review_command(arguments: argparse.Namespace, url: str) -> None:
    """Run one review command in one transaction; ReviewError when it cannot be done."""
    engine = make_engine(url)
    try:
        with make_session_factory(engine).begin() as session:
            if arguments.command == "review-national":
                _show(session, arguments.import_id)
            elif arguments.command == "publish-national":
                for change_id in arguments.hold:
                    hold(session, change_id)
                counts = publish(session, arguments.import_id)
                log.info("published import %d: %s", arguments.import_id, counts)
            elif arguments.command == "release-national":
                change = release(session, arguments.change_id)
                log.info("change %d: %s", change.id, change.state.value)
            else:
                discard(session, arguments.import_id)
                log.info("import %d discarded", arguments.import_id)
    finally:
        engine.dispose()
