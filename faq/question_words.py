"""The words of a question as the FAQ matcher and the unanswered-question groups read them.

Folded and expanded as the procedure resolver reads them (`catalog.textnorm.tokens`),
without the office's own name ("bộ phận một cửa": the citizen is already there), with
fillers (pronouns, particles, polite and question words) weighing little.
"""

from __future__ import annotations

from catalog.textnorm import GENERIC, tokens

__all__ = ["FILLER", "content_words", "question_words", "word_weight"]

FILLER_WEIGHT = 0.25
GENERIC_WEIGHT = 0.6

# Words that carry no topic: pronouns, particles, polite and question fillers. They count
# a little (so "có mất phí không" is not "mất phí"), never enough to match alone.
FILLER = frozenset(
    (  # noqa: SIM905 - a list of words reads best as words
        "a ad admin ah ak anh ba bac ban be biet can cho chi chu co cua da duoc em gi giup "
        "ha hay hoi khong la long ma minh muon nao nha nhe nhi nhu oi ok ong phai sao the "
        "thi toi va vang vay voi vui xin"
    ).split()
)


# Where the citizen already is: "bộ phận một cửa" says nothing about the question.
_CONTEXT = (("bo", "phan", "mot", "cua"), ("mot", "cua"))


def question_words(text: str) -> list[str]:
    """`tokens(text)` without the office's own name."""
    words = tokens(text)
    for phrase in _CONTEXT:
        size = len(phrase)
        index = 0
        while index <= len(words) - size:
            if tuple(words[index : index + size]) == phrase:
                del words[index : index + size]
            else:
                index += 1
    return words


def word_weight(word: str) -> float:
    """How much `word` tells of a question: fillers little, generic words less."""
    if word in FILLER:
        return FILLER_WEIGHT
    return GENERIC_WEIGHT if word in GENERIC else 1.0


def content_words(text: str) -> list[str]:
    """The folded words of `text` without fillers (how similar questions are grouped)."""
    return [word for word in question_words(text) if word not in FILLER]
