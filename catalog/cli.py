"""Catalog commands for staff and `make db`.

    python -m catalog.cli import [--database-url URL] [--dir PATH] [--prune]
    python -m catalog.cli export [--database-url URL] [--dir PATH]
    python -m catalog.cli migrate-and-import [--database-url URL] [--dir PATH] [--prune]
    python -m catalog.cli check [--dir PATH]
    python -m catalog.cli import-national [PATH] [--dry-run | --stage] [--database-url URL]
    python -m catalog.cli review-national | publish-national | discard-national ID
    python -m catalog.cli release-national CHANGE

`import-national` reads a national portal export (a folder in the portal's format, or
the snapshot shipped in `catalog/national/data/`, the default), checks every record and
imports all or nothing; it prints what changed since the last import (and keeps it in
`national_import`); `--dry-run` only prints and keeps the report; `--stage` keeps a
review that goes live only when published (here or in the staff console), with some
changes held if need be (`catalog.review_cli`). `migrate-and-import` also imports the
shipped snapshot when no national procedure is stored yet.

`import` validates every file first and changes nothing when any entry is wrong; the
whole import is one transaction. Procedures in the database but not in the YAML are
kept unless `--prune` is given (staff may have added them from the console).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

from catalog.errors import CatalogError
from catalog.loader import CONTENT_DIR, load_content
from catalog.national.export import SNAPSHOT, read_export
from catalog.national.importer import NationalChanges, import_national
from catalog.national.models import NationalProcedure
from catalog.review_cli import REVIEW_COMMANDS, add_review_commands, run_review_command
from catalog.store import ImportReport, export_catalog, import_entries
from db import make_engine, make_session_factory, upgrade_to_head
from settings import get_settings

__all__ = ["main", "run_import", "run_import_national", "run_export"]

log = logging.getLogger("catalog")


def run_import(database_url: str, directory: Path, *, prune: bool = False) -> ImportReport:
    """Validate `directory`, then upsert it into `database_url` in one transaction."""
    loaded = load_content(directory)
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine).begin() as session:
            return import_entries(session, loaded, prune=prune)
    finally:
        engine.dispose()


def run_import_national(
    database_url: str,
    path: Path = SNAPSHOT,
    *,
    dry_run: bool = False,
    stage: bool = False,
    only_if_empty: bool = False,
) -> NationalChanges | None:
    """Import the national export at `path` in one transaction (None: skipped, not empty)."""
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine).begin() as session:
            if only_if_empty and session.scalar(select(NationalProcedure.code).limit(1)):
                return None
            return import_national(session, read_export(path), dry_run=dry_run, stage=stage)
    finally:
        engine.dispose()


def run_export(database_url: str, directory: Path) -> list[Path]:
    """Write the stored catalog to `directory`, one file per procedure."""
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return list(export_catalog(session, directory))
    finally:
        engine.dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m catalog.cli", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("import", "validate the YAML and upsert it into the database"),
        ("export", "write the database's catalog as YAML"),
        ("migrate-and-import", "upgrade the schema to the newest migration, then import"),
        ("check", "validate the YAML only"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--dir", type=Path, default=CONTENT_DIR, help="content directory")
        if name != "check":
            command.add_argument("--database-url", default=None, help="default: DATABASE_URL")
        if name in ("import", "migrate-and-import"):
            command.add_argument(
                "--prune", action="store_true", help="delete procedures not in the YAML"
            )
    national = commands.add_parser("import-national", help="import a national portal export")
    national.add_argument("path", type=Path, nargs="?", default=SNAPSHOT, help="export path")
    how = national.add_mutually_exclusive_group()
    how.add_argument("--dry-run", action="store_true", help="report changes only")
    how.add_argument("--stage", action="store_true", help="keep a review to publish later")
    national.add_argument("--database-url", default=None, help="default: DATABASE_URL")
    add_review_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit status."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    log.setLevel(logging.INFO)  # the command's report shows even under other log set-ups
    arguments = _parser().parse_args(argv)
    url = getattr(arguments, "database_url", None) or get_settings().database_url
    try:
        if arguments.command == "check":
            loaded = load_content(arguments.dir)
            log.info("catalog content OK: %d procedures in %s", len(loaded), arguments.dir)
        elif arguments.command == "export":
            paths = run_export(url, arguments.dir)
            log.info("exported %d procedures to %s", len(paths), arguments.dir)
        elif arguments.command == "import-national":
            changes = run_import_national(
                url, arguments.path, dry_run=arguments.dry_run, stage=arguments.stage
            )
            verb = "would change" if arguments.dry_run or arguments.stage else "import"
            log.info("national %s: %s", verb, changes.summary() if changes else "")
            if arguments.stage and changes is not None:
                log.info(
                    "staged as review %s: python -m catalog.cli review-national %s",
                    changes.import_id,
                    changes.import_id,
                )
        elif arguments.command in REVIEW_COMMANDS:
            run_review_command(arguments, url)
        else:
            if arguments.command == "migrate-and-import":
                upgrade_to_head(url)
                changes = run_import_national(url, only_if_empty=True)
                if changes is not None:
                    log.info("national import (first start): %s", changes.summary())
            report = run_import(url, arguments.dir, prune=arguments.prune)
            log.info("catalog import: %s", report.summary())
    except CatalogError as error:
        log.error("%s", error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
