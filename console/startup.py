"""What the gateway does for the console at start-up: the first admin from the settings."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from console.account_changes import ensure_first_admin
from console.accounts import AccountError
from settings import Settings

__all__ = ["create_first_admin"]

log = logging.getLogger("console.startup")


def create_first_admin(settings: Settings, sessions: sessionmaker[Session]) -> None:
    """Make `ADMIN_USERNAME` an admin with `ADMIN_PASSWORD` when no staff account exists yet."""
    if settings.admin_password is None or not settings.admin_password.get_secret_value():
        return
    try:
        with sessions.begin() as session:
            made = ensure_first_admin(
                session,
                username=settings.admin_username,
                password=settings.admin_password.get_secret_value(),
            )
        if made:
            log.info("first admin account created from ADMIN_USERNAME / ADMIN_PASSWORD")
    except AccountError as error:
        log.error("ADMIN_USERNAME / ADMIN_PASSWORD refused: %s", error)
    except IntegrityError:
        pass  # another gateway process made it at the same moment
    except (OperationalError, ProgrammingError):
        # The gateway does not migrate (the launcher and deployments do); say so, go on.
        log.warning("no staff_account table yet (database not migrated): no first admin made")
