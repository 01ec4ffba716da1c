"""A citizen's conversation through the real PTB application, webhook and polling alike."""

from __future__ import annotations

import time

import httpx
import pytest
from telegram_support import TOKEN, GatewayUnderTest, wait_until

from bot.channels.sender_limit import SLOW_DOWN
from bot.channels.telegram.replies import HELP_TEXT, PLEASE_TYPE, START_TEXT, split_text
from bot.conversation import BUSY_APOLOGY

CHAT = 7001


def test_start_greets_in_vietnamese_and_lists_the_commands(gateway: GatewayUnderTest) -> None:
    gateway.user_writes(CHAT, "/start")
    [greeting] = gateway.replies(CHAT, 1)
    assert greeting["text"] == START_TEXT
    assert "Xin chào" in greeting["text"] and "/tracuu" in greeting["text"]
    assert gateway.rasa.received == []  # a greeting needs no Rasa turn


def test_a_question_reaches_rasa_as_the_telegram_conversation(gateway: GatewayUnderTest) -> None:
    gateway.user_writes(CHAT, "làm khai sinh cần giấy tờ gì")
    [answer] = gateway.replies(CHAT, 1)
    assert answer["text"] == "Bạn đã hỏi: làm khai sinh cần giấy tờ gì"
    [turn] = gateway.rasa.received
    assert turn["sender"] == f"telegram:{CHAT}"
    assert turn["metadata"]["client"] == f"telegram:{CHAT}"


PAYLOAD = '/ask_documents{"procedure_code":"1.001193"}'
CHOICE = {
    "messages": [
        {
            "text": "Bạn muốn hỏi thủ tục nào?",
            "buttons": [
                {"title": "Đăng ký khai sinh", "payload": PAYLOAD},
                {
                    "title": "Đăng ký kết hôn",
                    "payload": '/ask_documents{"procedure_code":"1.000894"}',
                },
            ],
        }
    ],
    "intent": "ask_documents",
    "confidence": 0.9,
    "answer_about": {},
}


def test_rasa_buttons_become_an_inline_keyboard_and_a_press_continues(
    gateway: GatewayUnderTest,
) -> None:
    gateway.rasa.answers["khai sinh"] = CHOICE
    gateway.user_writes(CHAT, "khai sinh")
    [question] = gateway.replies(CHAT, 1)
    keyboard = question["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == ["Đăng ký khai sinh", "Đăng ký kết hôn"]
    assert keyboard[0][0]["callback_data"] == PAYLOAD

    gateway.user_presses(CHAT, PAYLOAD)
    gateway.replies(CHAT, 2)
    assert [turn["message"] for turn in gateway.rasa.received] == ["khai sinh", PAYLOAD]
    [query] = gateway.sim("/_sim/callback_queries").values()
    assert query["answered"] is True


def test_commands_are_turns_in_words_and_registered_for_the_menu(
    gateway: GatewayUnderTest,
) -> None:
    gateway.user_writes(CHAT, "/tracuu 000.00.06.H56-231027-0361")
    gateway.user_writes(CHAT, "/theodoi 000.00.06.H56-231027-0361")
    gateway.user_writes(CHAT, "/huy")
    gateway.replies(CHAT, 3)
    assert [turn["message"] for turn in gateway.rasa.received] == [
        "tra cứu hồ sơ 000.00.06.H56-231027-0361",
        "theo dõi hồ sơ 000.00.06.H56-231027-0361",
        "hủy theo dõi",
    ]
    menu = httpx.get(f"{gateway.sim_url}/bot{TOKEN}/getMyCommands").json()["result"]
    assert [command["command"] for command in menu] == ["tracuu", "theodoi", "huy", "trogiup"]


def test_a_command_without_its_code_asks_for_it(gateway: GatewayUnderTest) -> None:
    gateway.user_writes(CHAT, "/tracuu")
    [reply] = gateway.replies(CHAT, 1)
    assert "/tracuu 000.00.06.H56-231027-0361" in reply["text"]
    gateway.user_writes(CHAT, "/trogiup")
    assert gateway.replies(CHAT, 2)[1]["text"] == HELP_TEXT
    assert gateway.rasa.received == []


@pytest.mark.parametrize("media", ["sticker", "photo", "voice", "document"])
def test_stickers_photos_voice_and_files_get_asked_to_type(
    gateway: GatewayUnderTest, media: str
) -> None:
    gateway.user_sends(CHAT, media)
    [reply] = gateway.replies(CHAT, 1)
    assert reply["text"] == PLEASE_TYPE
    assert gateway.rasa.received == []


def test_a_long_answer_is_split_on_line_boundaries(gateway: GatewayUnderTest) -> None:
    lines = [f"{i}. Bản sao giấy tờ tùy thân số {i} có chứng thực hợp lệ" for i in range(300)]
    gateway.rasa.answers["giấy tờ"] = {
        "messages": [{"text": "\n".join(lines)}],
        "intent": "ask_documents",
        "answer_about": {},
    }
    gateway.user_writes(CHAT, "giấy tờ")
    count = len(split_text("\n".join(lines)))
    sent = gateway.replies(CHAT, count)
    assert count > 1 and all(len(m["text"]) <= 4096 for m in sent)
    assert "\n".join(m["text"] for m in sent).split("\n") == lines


def test_the_citizen_sees_typing_while_rasa_thinks(gateway: GatewayUnderTest) -> None:
    gateway.user_writes(CHAT, "lệ phí khai sinh")
    gateway.replies(CHAT, 1)
    assert "typing" in gateway.sim("/_sim/chat_actions", chat_id=CHAT)


def test_rasa_down_gets_a_vietnamese_apology(gateway: GatewayUnderTest) -> None:
    gateway.rasa.mode = "down"
    gateway.user_writes(CHAT, "lệ phí khai sinh")
    [reply] = gateway.replies(CHAT, 1)
    assert reply["text"] == BUSY_APOLOGY


def test_a_sender_over_the_rate_gets_one_polite_message_and_nothing_else(
    gateway: GatewayUnderTest,
) -> None:
    for index in range(25):
        gateway.user_writes(CHAT, f"câu hỏi số {index}")
    wait_until(lambda: len(gateway.rasa.received) >= 20, "20 turns")
    sent = gateway.replies(CHAT, 21)
    wait_until(lambda: not gateway.sim("/_sim/updates"), "every update taken")
    time.sleep(0.3)  # nothing more may come
    sent = gateway.sent(CHAT)
    assert len(gateway.rasa.received) == 20
    assert [m["text"] for m in sent].count(SLOW_DOWN) == 1 and len(sent) == 21
