"""The console API's OpenAPI description: its error answers, as `bot.errors` sends them.

Pages (HTML) stay out of the description; `/admin/api/...` routes declare every error
they answer with `errors(...)`, so scripts (and the fuzzing suite) can rely on it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from bot.openapi import ErrorBody, InvalidRequest

__all__ = ["Done", "errors"]

_DESCRIPTIONS = {
    400: "A body that cannot be read, or a change that cannot be made as asked (see detail)",
    401: "Not logged in (no session cookie, or one that ended)",
    403: "The CSRF token is missing or wrong, or the account's role may not do this",
    404: "No such entry",
    409: "The entry changed meanwhile, or the change was already undone",
    422: "The request does not have the documented shape",
    429: "Too many failed logins for this username or address; see Retry-After",
}


class Done(BaseModel):
    """A change that answers no entry: what was done, in Vietnamese."""

    detail: str


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a console API route answering `codes`."""
    responses: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        entry: dict[str, Any] = {
            "model": InvalidRequest if code == 422 else ErrorBody,
            "description": _DESCRIPTIONS[code],
        }
        if code == 429:
            retry = {"description": "Seconds to wait", "schema": {"type": "integer", "minimum": 1}}
            entry["headers"] = {"Retry-After": retry}
        responses[code] = entry
    return responses
