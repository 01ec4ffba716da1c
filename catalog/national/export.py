"""Read a national portal export: the portal's own folder format or our compact snapshot.

The portal's format (as crawled on 2026-07-18, see `data/README.md`): `catalog.jsonl`, one
listed procedure a line; `details/<code>.json`, `{"code": "OK", "data": {...}}` for each
procedure with a full record; `manifest.json`, when the crawl ran. The compact snapshot
is the same records in one gzipped JSON-lines file: a `provenance` line first, then one
`listing` line per listed procedure and one `detail` line per full record. A newer export
(or an adapter for the portal's API) only has to produce a `NationalExport`.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from catalog.errors import CatalogError

__all__ = ["SNAPSHOT", "NationalExport", "pack_export", "read_export"]

SNAPSHOT = Path(__file__).resolve().parent / "data" / "portal-2026-07-18.jsonl.gz"


@dataclass(frozen=True)
class NationalExport:
    """Raw records of one export, keyed by national code, with where they came from."""

    source: str
    fetched_on: date
    listing: dict[str, dict[str, Any]] = field(default_factory=dict)
    details: dict[str, dict[str, Any]] = field(default_factory=dict)


def read_export(path: Path) -> NationalExport:
    """The export at `path`: a portal folder or a `.jsonl.gz` snapshot."""
    try:
        if path.is_dir():
            return _read_folder(path)
        return _read_snapshot(path)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CatalogError(f"cannot read the national export at {path}: {error}") from error


def _read_folder(folder: Path) -> NationalExport:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    fetched_on = datetime.fromisoformat(manifest["finishedAt"].replace("Z", "+00:00")).date()
    export = NationalExport(f"portal export {folder.name}", fetched_on)
    with (folder / "catalog.jsonl").open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                _add(export.listing, json.loads(line), f"catalog.jsonl line {number}")
    for detail in sorted((folder / "details").glob("*.json")):
        wrapper = json.loads(detail.read_text(encoding="utf-8"))
        record = wrapper.get("data") if isinstance(wrapper, dict) else None
        _add(export.details, record, f"details/{detail.name}")
    return export


def _add(into: dict[str, dict[str, Any]], record: Any, where: str) -> None:
    code = record.get("code") if isinstance(record, dict) else None
    # A record without a code cannot be reported by code: keep it under its place.
    # Codes are kept exactly as published: the list has both "1.014325" and " 1.014325",
    # two different procedures.
    into[code if isinstance(code, str) and code else f"?{where}"] = record


def _read_snapshot(path: Path) -> NationalExport:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        head = json.loads(next(lines))
        if head.get("kind") != "provenance":
            raise ValueError("the first line is not the provenance")
        export = NationalExport(head["source"], date.fromisoformat(head["fetched_on"]))
        for line in lines:
            item = json.loads(line)
            target = export.listing if item["kind"] == "listing" else export.details
            _add(target, item["record"], str(path.name))
    return export


def _snapshot_lines(export: NationalExport, provenance: dict[str, Any]) -> Iterator[str]:
    yield json.dumps({"kind": "provenance", **provenance}, ensure_ascii=False)
    for kind, records in (("listing", export.listing), ("detail", export.details)):
        for code in sorted(records):
            item = {"kind": kind, "record": records[code]}
            yield json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def pack_export(folder: Path, out: Path, *, source: str) -> NationalExport:
    """Write the portal folder `folder` as a compact snapshot at `out`."""
    export = read_export(folder)
    provenance = {
        "source": source,
        "fetched_on": export.fetched_on.isoformat(),
        "listed": len(export.listing),
        "detailed": len(export.details),
    }
    # No name and mtime=0 in the gzip header: the same export always packs to the same bytes.
    with out.open("wb") as file, gzip.GzipFile("", "wb", 9, file, mtime=0) as raw:
        for line in _snapshot_lines(export, provenance):
            raw.write(line.encode("utf-8") + b"\n")
    return NationalExport(source, export.fetched_on, export.listing, export.details)
