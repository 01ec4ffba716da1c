"""Every console router, for the gateway to mount (`bot.app`): pages and /admin/api.

Each console module with routes exports `router`; add yours to the list when it lands.
"""

from __future__ import annotations

from fastapi import APIRouter

from console import (
    account_routes,
    audit_routes,
    catalog_routes,
    faq_routes,
    figures_routes,
    retrain_routes,
    session_routes,
    unanswered_routes,
)

__all__ = ["console_routers"]


def console_routers() -> list[APIRouter]:
    """The console's routers: logging in and out, then each area's pages and API."""
    return [
        session_routes.router,
        faq_routes.router,
        unanswered_routes.router,
        figures_routes.router,
        catalog_routes.router,
        audit_routes.router,
        retrain_routes.router,
        account_routes.router,
    ]
