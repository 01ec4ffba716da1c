"""A conformance test whose API description is missing fails under CI instead of skipping."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.specs import load_spec


def test_a_missing_description_fails_under_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REQUIRE_SPECS", raising=False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="not at"):
        load_spec("twilio_api_v2010.json", tmp_path)


def test_a_missing_description_is_skipped_on_a_developers_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("REQUIRE_SPECS", raising=False)
    with pytest.raises(pytest.skip.Exception):
        load_spec("twilio_api_v2010.json", tmp_path)


def test_a_present_description_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    (tmp_path / "api.json").write_text('{"openapi": "3.0.1"}')
    assert load_spec("api.json", tmp_path) == {"openapi": "3.0.1"}
