"""National exports for tests: a portal-format folder of chosen records, a staged review."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from catalog.cli import run_import_national
from catalog.national.export import NationalExport

__all__ = ["NEW_MARRIAGE_NAME", "STAGED_CODES", "stage_modified_export", "write_portal_folder"]


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


# The change `stage_modified_export` makes to the marriage registration's name.
NEW_MARRIAGE_NAME = "Đăng ký kết hôn (tên mới)"
STAGED_CODES = ["1.004222", "1.000894", "1.001193"]


def stage_modified_export(url: str, folder: Path, snapshot: NationalExport) -> int:
    """Store three records of `snapshot` at `url`, then stage a modified export; its id.

    The modified export makes the residence registration's online fee 0, renames the
    marriage registration (`NEW_MARRIAGE_NAME`) and adds procedure 1.000010.
    """
    run_import_national(url, write_portal_folder(folder / "old", snapshot, STAGED_CODES))
    newer = copy.deepcopy(snapshot)
    newer.details["1.004222"]["executionMethods"][0]["fees"][0]["value"] = 0
    newer.listing["1.000894"]["name"] = NEW_MARRIAGE_NAME
    newer.details["1.000894"]["name"] = NEW_MARRIAGE_NAME
    modified = write_portal_folder(folder / "new", newer, [*STAGED_CODES, "1.000010"])
    changes = run_import_national(url, modified, stage=True)
    if changes is None or changes.import_id is None:
        raise RuntimeError("the modified export was not staged")
    return changes.import_id
