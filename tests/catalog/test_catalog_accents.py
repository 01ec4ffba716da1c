"""How names and messages are written, word by word (catalog.accents)."""

from __future__ import annotations

from catalog.accents import written_forms
from catalog.textnorm import words


def test_each_word_keeps_how_it_was_written_and_old_tone_placement_is_the_same_word() -> None:
    text = "Khoá tài khoản, cấp lại bằng lái"
    forms = written_forms(text, words(text, keep_stop_words=True), marked_only=False)
    same = written_forms("khóa", ["khoa"], marked_only=False)
    assert forms[0] == same[0]  # "khoá" and "khóa"
    assert forms[3] != forms[-2]  # "lại" is not the "lái" of "giấy phép lái"


def test_words_the_reading_added_or_typed_without_marks_have_no_written_form() -> None:
    text = "cấp lại bằng lái xe"
    tokens = words(text)
    assert tokens[:5] == ["cap", "lai", "giay", "phep", "lai"]
    forms = written_forms(text, tokens, marked_only=True)
    assert forms[2] is None and forms[3] is None  # "giấy phép" was read from "bằng"
    assert forms[1] is not None and forms[4] is not None
    assert written_forms("cap lai bang lai xe", tokens, marked_only=True) == (None,) * len(tokens)
    assert written_forms("cấp lại xe", ["cap", "lai", "xe"], marked_only=True)[2] is None
