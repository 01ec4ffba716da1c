"""Validate the action server's answers against a schema checked once, not on every call.

Rasa 3.6 checks each custom action's response with `jsonschema.validate(response,
schema)`. That function first checks the *schema itself* against the JSON Schema
meta-schema (draft 2020-12, full of `$dynamicRef`s) and only then the response: about
20 ms of CPU per custom action on our 2-core machine, against 0.3 ms for the response
alone. The schema is a constant, so it is checked once here and the validator is kept.

Rasa offers no extension point for `RemoteAction` (it is built inside
`rasa.core.actions.action.action_for_name_or_text`), so `install()` replaces its
`_validate_action_result` with `validate_action_result`: the same schema, the same
`ValidationError` with the same message on a bad response. It is installed when our
tracker store is imported, i.e. by every Rasa process that runs with our endpoints.yml.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

__all__ = ["install", "response_validator", "validate_action_result"]


@lru_cache(maxsize=1)
def response_validator() -> Validator:
    """The validator for `RemoteAction.action_response_format_spec()`, its schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """`RemoteAction._validate_action_result` without re-checking the schema each call."""
    try:
        response_validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


def install() -> None:
    """Make every `RemoteAction` use `validate_action_result` (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
