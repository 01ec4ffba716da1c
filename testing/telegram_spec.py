"""Check Bot API objects against a machine-readable Bot API description (`telegram_bot_api.json`).

The description lists every type's fields with their types ("Integer", "String",
"Array of InlineKeyboardButton", another type's name) and whether they are required;
abstract types name their `subtypes`. `type_errors` walks an object and reports every
missing required field, every field the type does not have, and every wrongly typed one.
Tests use it to hold the simulator's answers to the published API.
"""

from __future__ import annotations

from typing import Any

__all__ = ["type_errors"]

PRIMITIVES: dict[str, tuple[type, ...]] = {
    "Integer": (int,),
    "String": (str,),
    "Boolean": (bool,),
    "True": (bool,),
    "Float": (float, int),
}


def _value_errors(spec: dict[str, Any], type_name: str, value: Any, path: str) -> list[str]:
    if type_name.startswith("Array of "):
        if not isinstance(value, list):
            return [f"{path}: expected {type_name}, got {type(value).__name__}"]
        item_type = type_name.removeprefix("Array of ")
        errors: list[str] = []
        for index, item in enumerate(value):
            errors += _value_errors(spec, item_type, item, f"{path}[{index}]")
        return errors
    if type_name in PRIMITIVES:
        expected = PRIMITIVES[type_name]
        is_bool = isinstance(value, bool)
        if not isinstance(value, expected) or (is_bool and bool not in expected):
            return [f"{path}: expected {type_name}, got {value!r}"]
        if type_name == "True" and value is not True:
            return [f"{path}: expected True, got {value!r}"]
        return []
    return type_errors(spec, type_name, value, path)


def _fewest(attempts: list[list[str]]) -> list[str]:
    """The error list of the closest match among alternatives."""
    return sorted(attempts, key=len)[0]


def type_errors(spec: dict[str, Any], type_name: str, value: Any, path: str = "$") -> list[str]:
    """Every way `value` differs from the Bot API type `type_name` (empty when it conforms)."""
    definition = spec["types"].get(type_name)
    if definition is None:
        return [f"{path}: unknown type {type_name}"]
    if subtypes := definition.get("subtypes"):
        best = _fewest([type_errors(spec, sub, value, path) for sub in subtypes])
        return [] if not best else [f"{path}: matches none of {', '.join(subtypes)}", *best]
    if not isinstance(value, dict):
        return [f"{path}: expected a {type_name} object, got {type(value).__name__}"]
    fields = {field["name"]: field for field in definition.get("fields", [])}
    errors = [f"{path}: {type_name} has no field {name!r}" for name in value if name not in fields]
    for name, field in fields.items():
        if name not in value:
            if field["required"]:
                errors.append(f"{path}: {type_name} misses required field {name!r}")
            continue
        attempts = [
            _value_errors(spec, option, value[name], f"{path}.{name}") for option in field["types"]
        ]
        if all(attempts):
            errors += _fewest(attempts)
    return errors
