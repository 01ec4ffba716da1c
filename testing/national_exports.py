"""National exports for tests: a portal-format folder holding chosen records of a snapshot."""

from __future__ import annotations

import json
from pathlib import Path

from catalog.national.export import NationalExport

__all__ = ["write_portal_folder"]


def write_portal_folder(folder: Path, export: NationalExport, codes: list[str]) -> Path:
    """A portal-format folder holding `codes` of `export` (list entries and full records)."""
    (folder / "details").mkdir(parents=True)
    manifest = {"finishedAt": "2026-11-30T10:00:00.000Z"}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    lines = [json.dumps(export.listing[code], ensure_ascii=False) for code in codes]
    (folder / "catalog.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for code in codes:
        if code in export.details:
            wrapper = {"code": "OK", "data": export.details[code]}
            path = folder / "details" / f"{code}.json"
            path.write_text(json.dumps(wrapper, ensure_ascii=False), encoding="utf-8")
    return folder
