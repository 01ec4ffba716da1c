"""Read and validate the YAML content; write entries back as YAML.

Each `*.yml` file holds one procedure (a mapping), or several under a top-level
`procedures:` list. Everything is validated before anything touches the database;
every problem is reported with its file, entry (national code) and field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from catalog.errors import CatalogValidationError, ContentProblem
from catalog.schema import CODE_PATTERN, ProcedureEntry

__all__ = [
    "CONTENT_DIR",
    "LoadedEntry",
    "load_content",
    "validate_entries",
    "write_entry",
    "entry_to_yaml",
]

CONTENT_DIR = Path(__file__).resolve().parent / "content"


@dataclass(frozen=True)
class LoadedEntry:
    """A validated procedure entry and the file it came from."""

    file: Path
    entry: ProcedureEntry


def _raw_entries(path: Path, problems: list[ContentProblem]) -> list[Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        problems.append(ContentProblem(path.name, None, None, f"cannot be read: {error}"))
        return []
    if isinstance(document, dict) and set(document) == {"procedures"}:
        document = document["procedures"]
        if not isinstance(document, list):
            problems.append(ContentProblem(path.name, None, "procedures", "must be a list"))
            return []
        return document
    if isinstance(document, dict):
        return [document]
    problems.append(
        ContentProblem(path.name, None, None, "must be a mapping (one procedure) or procedures:")
    )
    return []


def _entry_label(raw: Any, index: int) -> str:
    code = raw.get("code") if isinstance(raw, dict) else None
    return str(code) if code is not None else f"#{index + 1}"


def _validate_one(
    file: Path, raw: Any, index: int, problems: list[ContentProblem]
) -> ProcedureEntry | None:
    label = _entry_label(raw, index)
    if not isinstance(raw, dict):
        problems.append(ContentProblem(file.name, label, None, "must be a mapping"))
        return None
    try:
        return ProcedureEntry.model_validate(raw)
    except ValidationError as error:
        for detail in error.errors():
            field = ".".join(str(part) for part in detail["loc"]) or None
            message = detail["msg"]
            if detail["type"] == "missing":
                message = "is required but missing"
            elif detail["type"] == "extra_forbidden":
                message = "is not a known field (typo?)"
            problems.append(ContentProblem(file.name, label, field, message))
        return None


def validate_entries(loaded: Iterable[LoadedEntry]) -> list[ContentProblem]:
    """Cross-entry checks: duplicate codes, duplicate aliases, unknown bundle members."""
    problems: list[ContentProblem] = []
    entries = list(loaded)
    first_file: dict[str, Path] = {}
    alias_owner: dict[str, str] = {}
    for item in entries:
        code = item.entry.code
        if code in first_file:
            problems.append(
                ContentProblem(
                    item.file.name,
                    code,
                    "code",
                    f"duplicate national code, already defined in {first_file[code].name}",
                    f"mã {code} đã có ở mục khác",
                )
            )
        else:
            first_file[code] = item.file
        for alias in item.entry.aliases:
            key = alias.casefold().strip()
            owner = alias_owner.setdefault(key, code)
            if owner != code:
                problems.append(
                    ContentProblem(
                        item.file.name,
                        code,
                        "aliases",
                        f"alias {alias!r} also belongs to {owner}",
                        f"«{alias}» đã là tên gọi khác của thủ tục {owner}",
                    )
                )
    for item in entries:
        for position, member in enumerate(item.entry.bundle_members):
            if member.code is not None and member.code not in first_file:
                problems.append(
                    ContentProblem(
                        item.file.name,
                        item.entry.code,
                        f"bundle_members.{position}.code",
                        f"{member.code} is not a procedure in the catalog",
                        f"{member.code} không phải thủ tục trong lớp dữ liệu của tỉnh",
                    )
                )
    return problems


def load_content(directory: Path = CONTENT_DIR) -> list[LoadedEntry]:
    """Every procedure in `directory`, validated; raises CatalogValidationError on any problem."""
    problems: list[ContentProblem] = []
    if not directory.is_dir():
        raise CatalogValidationError(
            [ContentProblem(str(directory), None, None, "is not a directory")]
        )
    files = sorted(directory.glob("*.yml")) + sorted(directory.glob("*.yaml"))
    if not files:
        problems.append(ContentProblem(str(directory), None, None, "holds no *.yml files"))
    loaded: list[LoadedEntry] = []
    for path in files:
        for index, raw in enumerate(_raw_entries(path, problems)):
            entry = _validate_one(path, raw, index, problems)
            if entry is not None:
                loaded.append(LoadedEntry(path, entry))
    problems += validate_entries(loaded)
    if problems:
        raise CatalogValidationError(problems)
    return loaded


class _Dumper(yaml.SafeDumper):
    """Block style with indented lists, codes in double quotes, for readable diffs."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        style: str | None = "|"
    elif CODE_PATTERN.match(value):
        style = '"'
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _prune(item) for key, item in value.items() if item is not None and item != []}
    if isinstance(value, list):
        return [_prune(item) for item in value]
    return value


def entry_to_yaml(entry: ProcedureEntry) -> str:
    """The YAML text of one entry (fields in schema order, empty ones left out)."""
    data = _prune(entry.model_dump(mode="python"))
    if data.get("popularity") == 0:
        data.pop("popularity")
    if isinstance(data.get("processing_days"), float) and data["processing_days"].is_integer():
        data["processing_days"] = int(data["processing_days"])
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2)


def write_entry(entry: ProcedureEntry, directory: Path, *, comment: str | None = None) -> Path:
    """Write `entry` to `<directory>/<code>.yml` (after a `# comment` line) and return the path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{entry.code}.yml"
    head = f"# {comment}\n" if comment else ""
    path.write_text(head + entry_to_yaml(entry), encoding="utf-8")
    return path
