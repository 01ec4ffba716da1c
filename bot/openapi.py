"""The gateway's OpenAPI description, kept true to what the routes answer.

Routes declare their error answers with `error_responses(...)` (the bodies `bot.errors`
really sends: `{"detail": "<Vietnamese>"}`, and for 422 also `errors: [{field, problem}]`
instead of FastAPI's default shape). Routes that read a raw body (form-encoded webhooks)
describe it with `form_body(...)`. `install_openapi` rewrites every 422 FastAPI adds on
its own to the shape `bot.errors` answers. The fuzzing suite (tests/fuzz) holds every
answer to this description.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

__all__ = [
    "ErrorBody",
    "InvalidRequest",
    "Problem",
    "error_responses",
    "form_body",
    "install_openapi",
    "raw_body",
]

_REF = "#/components/schemas/{model}"


class ErrorBody(BaseModel):
    """Every error answer: what went wrong, in Vietnamese (a provider's webhook: English)."""

    detail: str


class Problem(BaseModel):
    """One thing wrong with a request: which field, and what to fix."""

    field: str = Field(description="The field's name (`body` for the body as a whole)")
    problem: str = Field(description="What to fix, in Vietnamese")


class InvalidRequest(BaseModel):
    """A request that does not have the documented shape (422); the input is not echoed."""

    detail: str
    errors: list[Problem]


_DESCRIPTIONS = {
    400: "Malformed: not the documented body, a field out of its bounds, or a change refused",
    401: "Not logged in to the staff console (no session, or one that ended)",
    403: "A signature, secret, CSRF token or staff role that does not allow this",
    404: "Not found",
    409: "The entry changed meanwhile, or the change was already undone",
    413: "The body is over the route's size limit (refused before it is read whole)",
    422: "The request does not have the documented shape",
    429: "Too many requests (or failed logins) from this address or name; see Retry-After",
    503: "Not ready yet (the provider retries)",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route answering `codes` with `bot.errors`' bodies."""
    responses: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        entry: dict[str, Any] = {
            "model": InvalidRequest if code == 422 else ErrorBody,
            "description": _DESCRIPTIONS[code],
        }
        if code == 429:
            entry["headers"] = {
                "Retry-After": {
                    "description": "Seconds to wait before asking again",
                    "schema": {"type": "integer", "minimum": 1},
                }
            }
        responses[code] = entry
    return responses


def raw_body(
    model: type[BaseModel], media_type: str = "application/json", **headers: str
) -> dict[str, Any]:
    """`openapi_extra` of a route reading a body shaped like `model` by hand.

    `headers` name required header parameters and what they carry (a signature).
    """
    return {
        "parameters": [
            {
                "name": name.replace("_", "-"),
                "in": "header",
                "required": True,
                "description": description,
                "schema": {"type": "string", "minLength": 1, "maxLength": 256},
            }
            for name, description in headers.items()
        ],
        "requestBody": {
            "required": True,
            "content": {media_type: {"schema": model.model_json_schema(ref_template=_REF)}},
        },
    }


def form_body(model: type[BaseModel], **headers: str) -> dict[str, Any]:
    """`raw_body` of a form-encoded body (a provider's webhook)."""
    return raw_body(model, "application/x-www-form-urlencoded", **headers)


def _components(schema: dict[str, Any]) -> dict[str, Any]:
    components: dict[str, Any] = schema.setdefault("components", {}).setdefault("schemas", {})
    return components


def _true_validation_errors(schema: dict[str, Any]) -> None:
    """Point every 422 at `InvalidRequest` and drop FastAPI's unused default shapes."""
    components = _components(schema)
    for name, definition in InvalidRequest.model_json_schema(ref_template=_REF)["$defs"].items():
        components[name] = definition
    invalid = InvalidRequest.model_json_schema(ref_template=_REF)
    invalid.pop("$defs", None)
    components["InvalidRequest"] = invalid
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            answer = operation.get("responses", {}).get("422")
            if answer is not None:
                answer["description"] = _DESCRIPTIONS[422]
                ref = {"$ref": _REF.format(model="InvalidRequest")}
                answer["content"] = {"application/json": {"schema": ref}}
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)


def install_openapi(app: FastAPI) -> None:
    """Make `app.openapi()` describe the error bodies `bot.errors` really sends."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _true_validation_errors(generate())
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]
