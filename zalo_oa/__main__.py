"""`python -m zalo_oa show | refresh [--force] | replace`: the OA token pair in the database.

- `show`: the stored pair's generation, expiry and whether a refresh claim is pending
  (never the tokens themselves);
- `refresh`: refresh now when due (`--force`: even when not), once across processes;
- `replace`: store a pair from a new authorisation of the OA, read from the variables
  `ZALO_NEW_ACCESS_TOKEN`, `ZALO_NEW_REFRESH_TOKEN` (and `ZALO_NEW_EXPIRES_IN`, seconds).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime, timedelta

from db import make_engine, make_session_factory
from settings import get_settings
from zalo_oa.models import TOKEN_ROW, ZaloToken
from zalo_oa.tokens import ACCESS_TOKEN_SECONDS, TokenUnavailable, store_from_settings

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status is 0 on success."""
    parser = argparse.ArgumentParser(prog="python -m zalo_oa", description=__doc__)
    parser.add_argument("command", choices=("show", "refresh", "replace"))
    parser.add_argument("--force", action="store_true", help="refresh even when not due")
    arguments = parser.parse_args(argv)
    settings = get_settings()
    sessions = make_session_factory(make_engine(settings.database_url))
    store = store_from_settings(settings, sessions)
    try:
        if arguments.command == "refresh":
            store.access_token()
            seen = store.stored()
            if seen is not None:
                store.refresh_if_due(seen, force=arguments.force)
        elif arguments.command == "replace":
            seconds = int(os.environ.get("ZALO_NEW_EXPIRES_IN", ACCESS_TOKEN_SECONDS))
            store.replace(
                os.environ["ZALO_NEW_ACCESS_TOKEN"],
                os.environ["ZALO_NEW_REFRESH_TOKEN"],
                datetime.now(UTC) + timedelta(seconds=seconds),
            )
    except TokenUnavailable as error:
        print(f"zalo_oa: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()
    with sessions() as session:
        row = session.get(ZaloToken, TOKEN_ROW)
        if row is None:
            print("no token stored")
        else:
            pending = row.refresh_started_at.isoformat() if row.refresh_started_at else "none"
            expires = row.access_expires_at.isoformat()
            print(f"generation {row.generation}, expires {expires}, claim {pending}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
