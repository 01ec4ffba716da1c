"""`dossier_lookups_total` and `dossier_second_factor_checks_total` count what lookups did,
as the action server's /metrics shows them, with no code or sender as a label."""

from __future__ import annotations

from collections import Counter

from prometheus_client import REGISTRY, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from status_test_support import ANCHOR, set_faults

from dossier_lookup.limiter import FailedLookupLimiter
from dossier_lookup.lookup import DossierLookup
from status_client.client import OneStopClient
from status_client.models import DossierStatus
from testing.clock import FakeClock

UNKNOWN = "000.00.06.H56-231027-9999"


def scrape() -> tuple[str, Counter[tuple[str, str]]]:
    """The exposition text and the lookup counters by (series, label value)."""
    text = generate_latest(REGISTRY).decode()
    values: Counter[tuple[str, str]] = Counter()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name in ("dossier_lookups_total", "dossier_second_factor_checks_total"):
                label = sample.labels.get("outcome") or sample.labels["result"]
                values[(sample.name, label)] = int(sample.value)
    return text, values


async def test_each_outcome_is_counted_once(
    client: OneStopClient, clock: FakeClock, sim: str
) -> None:
    service = DossierLookup(client, FailedLookupLimiter(clock=clock), now=lambda: ANCHOR)
    dossier = (await client.list_dossiers(status=DossierStatus.PAYING, limit=1)).dossiers[0]
    assert dossier.id_number
    code, last4 = dossier.code, dossier.id_number[-4:]
    wrong = "0000" if last4 != "0000" else "1111"
    _, before = scrape()

    await service.reply(sender="sender-1", text=f"tra hồ sơ {code}")
    await service.reply(sender="sender-1", text=f"cccd {wrong}", remembered_code=code)
    await service.reply(sender="sender-1", text=f"4 số cuối CCCD {last4}", remembered_code=code)
    await service.reply(sender="sender-2", text="hồ sơ 000.00.06.H56-231027-036 của tôi")
    await service.reply(sender="sender-2", text="hồ sơ của tôi đến đâu rồi")
    for _ in range(5):
        await service.reply(sender="sender-3", text=UNKNOWN)
    await service.reply(sender="sender-3", text=code)  # over the limit now
    other = (await client.list_dossiers(status=DossierStatus.PROCESSING, limit=1)).dossiers[0]
    set_faults(sim, error_rate=1.0)  # the system fails for a dossier not seen (cached) yet
    await service.reply(sender="sender-4", text=other.code)
    text, after = scrape()

    lookups, checks = "dossier_lookups_total", "dossier_second_factor_checks_total"
    assert after - before == Counter(
        {
            (lookups, "found"): 3,
            (checks, "mismatch"): 1,
            (checks, "verified"): 1,
            (lookups, "invalid"): 1,
            (lookups, "no_code"): 1,
            (lookups, "not_found"): 5,
            (lookups, "limited"): 1,
            (lookups, "unavailable"): 1,
        }
    )
    for personal in (code, other.code, UNKNOWN, "sender-1", dossier.applicant_name):
        assert personal not in text
