"""bench.console_faq: the 1,000 entries it publishes are distinct and answer none of the
held-out questions, so the A/B chat rows measure the matcher's cost, not other answers."""

from __future__ import annotations

from pathlib import Path

from bench.console_faq import ENTRIES, TEST_FILE, faq_entries
from bench.nlu_accuracy import load_expectations
from faq.matcher import FaqIndex, FaqRecord


def test_the_bench_entries_are_distinct_and_leave_the_held_out_questions_alone() -> None:
    entries = faq_entries(ENTRIES)
    index = FaqIndex(FaqRecord(n, tuple(q), a) for n, (q, a) in enumerate(entries))
    texts = [example.text for example in load_expectations(Path(TEST_FILE))]

    assert len({question for questions, _ in entries for question in questions}) == 2 * ENTRIES
    assert len(texts) > 100
    assert [text for text in texts if index.match(text)] == []
    found = index.match(entries[517][0][1])
    assert found is not None and found.entry_id == 517
