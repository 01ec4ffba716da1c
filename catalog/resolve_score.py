"""How well one message names one name (a `Choice`): the resolver's exact score.

Coverage of the name's weighted words (a message word covers one name word), whether
they come in the name's order, and how much of the message they explain; the score is
their product, so that a half-covered name never passes on other merits.
"""

from __future__ import annotations

from catalog.accents import form
from catalog.resolve_index import LEADING_STOP_WEIGHT, Choice, Query, Score
from catalog.textnorm import is_stop_word

__all__ = ["score_choice"]

OTHER_FORM = 0.9  # a name's word typed otherwise ("lại" for "lái"; or a typo: "thuờng")
# Words of a name that mark it as the less asked-for variant ("cấp lại", "đổi"): left
# untyped, they say the citizen did not mean it (as the name writes them, with diacritics),
# and cost the name this factor: "giấy xác nhận khuyết tật" is its first issue.
UNSAID = 0.85
MARKED = frozenset(form(word) for word in ("lại", "đổi"))
TYPED_DEFAULT = 1.0 - LEADING_STOP_WEIGHT  # what a typed default word adds to its weight


def _leading_hits(choice: Choice, query: Query) -> list[tuple[int, int, float]]:
    """A name's leading stop word as typed just before its next word ("làm" of "làm hộ
    chiếu"): the message's reading drops it, the name keeps it (`textnorm.words`)."""
    first, *rest = choice.tokens
    if not rest or not is_stop_word(first) or (first, rest[0]) not in query.raw_pairs:
        return []
    return [(position, rank - 1, 1.0) for position, rank, _ in query.matches.get(rest[0], ())]


def _same_form(
    hits: list[tuple[int, int, float]], token: str, form: str | None, query: Query
) -> list[tuple[int, int, float]]:
    """The hits of a name's word typed as the name writes it, when the message wrote some
    other word folding alike ("lại" for the "lái" of "giấy phép lái xe"); those others
    only when none is, and then for less."""
    typed = query.written
    other = [
        hit
        for hit in hits
        if form is not None
        and typed[hit[0]] is not None
        and query.tokens[hit[0]] == token
        and typed[hit[0]] != form
    ]
    if not other:
        return hits
    if len(other) < len(hits):
        return [hit for hit in hits if hit not in other]
    return [(position, rank, similarity * OTHER_FORM) for position, rank, similarity in hits]


def _unsaid(choice: Choice, ranks: list[list[int]]) -> int:
    """How many `MARKED` words of an official name the message leaves untyped (none when
    it types one: "đổi" of "Đổi, cấp lại" is enough; "sửa đổi" is no variant)."""
    if choice.alias:
        return 0
    marked = [
        bool(ranks[number])
        for number, written in enumerate(choice.written)
        if written in MARKED and choice.tokens[number - 1 : number] != ("sua",)
    ]
    return 0 if any(marked) else len(marked)


def _coverage(choice: Choice, covered: float, ranks: list[list[int]]) -> float:
    """Share of the name's weight the message covers; a default word ("lần đầu") typed
    counts in full, untyped it costs the name only its small weight."""
    typed = TYPED_DEFAULT * sum(1 for number in choice.defaults if ranks[number])
    return (covered + typed) / (choice.total + typed)


def score_choice(choice: Choice, query: Query) -> Score | None:
    """How well `query` names `choice`, or None when it names none of its content words."""
    covered = 0.0
    content_covered = 0.0
    content_total = 0
    ranks: list[list[int]] = []
    explained: set[int] = set()
    exact: dict[int, set[int]] = {}  # telling words of the name typed exactly: where
    used: set[int] = set()  # a word of the message covers one word of the name
    for number, (token, weight) in enumerate(zip(choice.tokens, choice.weights, strict=True)):
        matched = query.matches.get(token, ())
        if matched and query.written:
            matched = _same_form(matched, token, choice.written[number], query)
        hits = matched or (_leading_hits(choice, query) if number == 0 else ())
        ranks.append([rank for _, rank, _ in hits])
        weak = choice.weak[number]
        content_total += not weak
        free = [hit for hit in hits if hit[0] not in used] if matched else list(hits)
        if free:
            position, _, similarity = max(free, key=lambda hit: hit[2])
            used.update((position,) if matched else ())
            covered += weight * similarity
            content_covered += 0.0 if weak else similarity
            explained.update(position for position, _, _ in hits)
            if choice.rare[number] is not None:
                exact[number] = {position for position, _, s in hits if s == 1.0}
    if not content_covered:
        return None
    telling = {
        position
        for number, positions in exact.items()
        if not (partners := choice.rare[number]) or any(ranks[j] for j in partners)
        for position in positions
    }
    coverage = _coverage(choice, covered, ranks)
    matched_pairs = [(a, b) for a, b in choice.pairs if ranks[a] and ranks[b]]
    adjacent = sum(
        1 for a, b in matched_pairs if any(0 < rb - ra <= 2 for ra in ranks[a] for rb in ranks[b])
    )
    adjacency = adjacent / len(matched_pairs) if matched_pairs else 1.0
    content = query.content_positions
    explained_share = len(explained & content) / len(content)
    # Multiplicative, so that a half-covered name never passes on other merits.
    value = coverage * (0.35 + 0.65 * adjacency) * (0.65 + 0.35 * explained_share) * choice.factor
    unsaid = _unsaid(choice, ranks)
    value *= UNSAID if unsaid else 1.0
    positions = frozenset(explained & content)
    return Score(
        value,
        coverage,
        explained_share,
        covered,
        positions,
        content_covered / content_total,
        frozenset(telling & content),
        unsaid,
    )
