"""Which of several names a message matches it means: the more specific one.

A message naming "đăng ký lại khai sinh" names "đăng ký khai sinh" too; one naming "trợ
cấp hưu trí xã hội" matches the alias "trợ cấp xã hội" better than the long official
name. These rules, applied to the resolver's ranked scores (`catalog.resolve`), let the
name that explains more of the message, or a rare word of it, take the place of one
that scores higher only because it is shorter.
"""

from __future__ import annotations

from dataclasses import replace

from catalog.resolve_index import Score

__all__ = ["FAMILY_MARGIN", "LOOSE_VERBS", "MIN_SCORE", "TELLING_MARGIN", "most_specific"]

MIN_SCORE = 0.55  # below this, no procedure is meant
FAMILY_MARGIN = 0.15  # how far a procedure explaining the whole message may trail
SPECIFIC_COVERAGE = 0.8  # share of its own words a more specific name must be given
TELLING_COVERAGE = 0.5  # a name taking a better one's place is named at least this much
TELLING_MARGIN = 0.3  # ... and scores at most this much below it
NAMED_IN_FULL = 0.9  # ... or, with no rare word, nearly every content word of it is typed
ACTION_MARGIN = 0.1  # a name typed with its action may trail the best by this much
SPECIFIC_WORDS = 0.9  # "cấp lại giấy phép lái xe" names one word more than "cấp giấy phép lái xe"
# Verbs citizens use loosely for any action ("đổi bằng lái quốc tế" for its issue, "xét hộ
# thoát nghèo" for its recognition): a name that explains every other word a better one
# explains, and a telling word besides, may take its place without them.
# ("xin", "làm" are stop words, loose already; "cấp", "đăng ký" generic, never content.)
LOOSE_VERBS = frozenset({"doi", "xet"})


def most_specific(
    contenders: list[tuple[str, Score]], loose: frozenset[int] = frozenset()
) -> list[tuple[str, Score]]:
    """Drop a candidate when another, named (nearly) in full, explains more of the message:
    "đăng ký lại khai sinh" names "đăng ký khai sinh" too, but means the longer name.

    A name that explains all a better-scored one explains and, besides, a rare word of
    its own typed in the message ("trợ cấp hưu trí xã hội" against the alias "trợ cấp xã
    hội") takes its place and its score, though the message names less of it.
    """
    named = [
        other
        for _, other in contenders
        if other.value >= MIN_SCORE and other.content_coverage >= SPECIFIC_COVERAGE
    ]
    kept = [
        (code, score)
        for code, score in contenders
        if not any(_more_specific(other, score) for other in named)
    ]
    if not kept:
        return kept
    (_, top), *rest = kept
    for number, (other_code, other) in enumerate(rest, start=1):
        if _tells_more(other, top, loose) or _names_the_action(other, top):
            lifted = replace(other, value=top.value)
            kept = [(other_code, lifted)] + [
                item for index, item in enumerate(kept) if index not in (0, number)
            ]
            break
    # Nor does a name the best one tells more than stay a contender beside it.
    (top_code, top), *rest = kept
    return [(top_code, top)] + [item for item in rest if not _tells_more(top, item[1], frozenset())]


def _tells_more(other: Score, score: Score, loose: frozenset[int]) -> bool:
    """`other` explains every word `score` does and, besides, a rare word of its own, or
    more words when the message names nearly all of it ("cấp lại giấy phép xây dựng"
    against the alias "giấy phép xây dựng"; not "giấy chứng nhận" of "cấp lại giấy
    chứng nhận đăng ký hộ kinh doanh", whose "lại" was not typed). Words the other does not
    explain may only be `loose` ones ("đổi" of "đổi bằng lái quốc tế"), and it may not
    leave more marked words untyped ("cấp lại")."""
    return (
        bool(other.positions - score.positions)
        and score.positions - other.positions <= loose
        and other.unsaid <= score.unsaid
        and (
            bool((other.positions - score.positions) & other.telling)
            or other.content_coverage >= NAMED_IN_FULL
        )
        and other.content_coverage >= TELLING_COVERAGE
        and other.value >= score.value - TELLING_MARGIN
    )


def _names_the_action(other: Score, score: Score) -> bool:
    """`other`, named in full, explains the action typed before the words both explain,
    `score` only words after them: "cấp lại | giấy phép xây dựng | nhà ở" is the renewal,
    though the house permit's alias explains "nhà ở"."""
    shared = other.positions & score.positions
    action, rest = other.positions - shared, score.positions - shared
    return (
        bool(shared and action)
        and max(action) < min(shared)
        and all(position > max(shared) for position in rest)
        and other.content_coverage >= NAMED_IN_FULL
        and other.value >= score.value - ACTION_MARGIN
    )


def _more_specific(other: Score, score: Score) -> bool:
    if other.unsaid > score.unsaid:
        return False  # more specific in what the message does not say ("cấp lại")
    if other.value < score.value - FAMILY_MARGIN:
        return False  # far worse a match: its extra words are more likely chance
    if other.positions == score.positions:
        return other.covered >= score.covered + SPECIFIC_WORDS
    return other.positions > score.positions
