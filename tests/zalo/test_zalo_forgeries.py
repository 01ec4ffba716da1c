"""Issue 11.5 for Zalo: every forged, stale, malformed or oversized webhook is refused,
and nothing is processed or stored; a real one then goes through."""

from __future__ import annotations

from collections import Counter

import httpx
from zalo_helpers import APP, ZaloWorld, signed, text_event

from testing.zalo_events import UNREADABLE, forgeries


def test_a_thousand_forgeries_are_refused_and_leave_no_trace(zalo: ZaloWorld) -> None:
    refused: Counter[str] = Counter()
    accepted: list[str] = []
    with httpx.Client(base_url=zalo.gateway_url) as gateway:
        for kind, raw, headers in forgeries(APP, 1_040):
            status = gateway.post("/webhooks/zalo", content=raw, headers=headers).status_code
            expected = 400 if kind in UNREADABLE else 403
            if status == expected:
                refused[kind] += 1
            else:
                accepted.append(f"{kind}: {status}")
        assert accepted == []
        assert sum(refused.values()) == 1_040 and len(refused) == 8
        assert zalo.events_stored() == 0
        assert zalo.rasa.received == []

        raw, headers = signed(text_event("xin chào"))
        assert gateway.post("/webhooks/zalo", content=raw, headers=headers).status_code == 200
    assert zalo.events_stored() == 1
