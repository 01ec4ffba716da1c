"""Several Rasa processes: each conversation stays on one, conversations spread over all."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.app import create_app
from bot.rasa_pool import rasa_index
from settings import Settings
from testing.fake_rasa import ACTION_SERVER_URL, RASA_URL, FakeRasa

SECOND_RASA_URL = "http://rasa-2.test:5005"


def test_a_sender_always_gets_the_same_process() -> None:
    picks = {rasa_index("web:alice", 2) for _ in range(20)}

    assert len(picks) == 1


def test_the_choice_is_stable_across_processes_and_releases() -> None:
    # Pinned: a changed hash would move every live conversation to another process,
    # which would forget its window (the procedure talked about) mid-conversation.
    assert [rasa_index(s, 2) for s in ("web:alice", "web:bob", "telegram:123")] == [1, 0, 0]


def test_conversations_spread_over_every_process() -> None:
    counts = Counter(rasa_index(f"web:{n}", 3) for n in range(600))

    assert set(counts) == {0, 1, 2}
    assert min(counts.values()) >= 150  # 200 each when even


def test_one_process_takes_every_conversation() -> None:
    assert {rasa_index(f"web:{n}", 1) for n in range(50)} == {0}


def test_settings_list_the_processes() -> None:
    assert Settings(rasa_url="http://127.0.0.1:5005").rasa_url_list() == ["http://127.0.0.1:5005"]
    assert Settings(rasa_url="http://127.0.0.1:5005", rasa_processes=3).rasa_url_list() == [
        "http://127.0.0.1:5005",
        "http://127.0.0.1:5006",
        "http://127.0.0.1:5007",
    ]
    listed = Settings(rasa_urls=" http://a:1/, http://b:2 ,", rasa_processes=5)
    assert listed.rasa_url_list() == ["http://a:1", "http://b:2"]


class TwoRasas:
    """Two fake Rasa processes on two hosts (and the fake action server)."""

    def __init__(self) -> None:
        self.first = FakeRasa()
        self.second = FakeRasa()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != "rasa-2.test":
            return await self.first(request)
        # The second fake answers as if it were at RASA_URL.
        moved = httpx.Request(
            request.method,
            request.url.copy_with(host="rasa.test"),
            headers=request.headers,
            content=request.content,
            extensions=request.extensions,
        )
        return await self.second(moved)


@pytest.fixture
def rasas() -> TwoRasas:
    return TwoRasas()


@pytest.fixture
async def gateway_on_two(rasas: TwoRasas, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        environment="test",
        rasa_url=RASA_URL,
        rasa_urls=f"{RASA_URL},{SECOND_RASA_URL}",
        action_server_url=ACTION_SERVER_URL,
        database_url=f"sqlite:///{tmp_path / 'gateway.db'}",
        rasa_timeout_seconds=0.5,
    )
    app = create_app(settings, transport=httpx.MockTransport(rasas))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client,
    ):
        yield client


async def test_a_conversation_stays_on_one_rasa(
    gateway_on_two: httpx.AsyncClient, rasas: TwoRasas
) -> None:
    for message in ("làm sổ đỏ cần gì", "thế lệ phí bao nhiêu?", "mất bao lâu"):
        response = await gateway_on_two.post(
            "/api/chat", json={"sender": "web-alice", "message": message}
        )
        assert response.status_code == 200

    first = [body["sender"] for body in rasas.first.received]
    second = [body["sender"] for body in rasas.second.received]
    conversation = (first + second)[0]
    assert sorted([first, second], key=len) == [[], [conversation] * 3]


async def test_conversations_reach_both_rasas(
    gateway_on_two: httpx.AsyncClient, rasas: TwoRasas
) -> None:
    for n in range(20):
        response = await gateway_on_two.post(
            "/api/chat", json={"sender": f"web-{n}", "message": "xin chào"}
        )
        assert response.status_code == 200

    first = {body["sender"] for body in rasas.first.received}
    second = {body["sender"] for body in rasas.second.received}
    assert first and second
    assert not first & second
    assert len(first | second) == 20


async def test_health_checks_every_rasa(gateway_on_two: httpx.AsyncClient, rasas: TwoRasas) -> None:
    up = await gateway_on_two.get("/health")
    assert up.status_code == 200
    assert {"rasa", "rasa-2"} <= set(up.json()["parts"])

    rasas.second.mode = "down"
    down = await gateway_on_two.get("/health")

    assert down.status_code == 503
    assert down.json()["down"] == ["rasa-2"]
