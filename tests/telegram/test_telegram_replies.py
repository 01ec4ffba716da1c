"""Shaping answers for Telegram: 4,096-character parts and 64-byte callback data."""

from __future__ import annotations

from bot.channels.telegram.replies import callback_data, split_text, telegram_messages
from bot.schemas import Button, ChatResponse, Reply


def test_parts_break_between_lines_and_a_huge_line_between_words() -> None:
    text = "\n".join(["a" * 3000, "b" * 3000, " ".join(["từ"] * 3000)])
    parts = split_text(text)
    assert all(len(part) <= 4096 for part in parts)
    assert parts[0] == "a" * 3000 and parts[1] == "b" * 3000
    assert " ".join(parts[2:]).split() == ["từ"] * 3000


def test_a_short_text_is_one_part_and_blank_text_none() -> None:
    assert split_text("Xin chào\nbạn") == ["Xin chào\nbạn"]
    assert split_text("  \n ") == []


def test_a_payload_over_64_bytes_travels_as_the_title() -> None:
    short = Button(title="Khai sinh", payload='/ask_fee{"procedure_code":"1.001193"}')
    long = Button(title="Đăng ký kết hôn", payload='/ask_fee{"procedure_code":"' + "9" * 60 + '"}')
    assert callback_data(short) == short.payload
    assert callback_data(long) == "Đăng ký kết hôn"


def test_the_keyboard_goes_under_the_last_part_of_its_reply() -> None:
    answer = ChatResponse(
        replies=[Reply(text="x\n" * 3000, buttons=[Button(title="Có", payload="/affirm")])]
    )
    messages = telegram_messages(answer)
    assert len(messages) == 2
    assert messages[0].keyboard is None and messages[1].keyboard is not None
