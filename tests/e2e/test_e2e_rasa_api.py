"""Issue 9.7 on the real stack: Rasa's HTTP API needs RASA_AUTH_TOKEN, the channel does not."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.conftest import RunningStack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]


async def test_rasa_api_answers_only_with_the_token(running_stack: RunningStack) -> None:
    rasa_url = running_stack.settings.rasa_url
    token = running_stack.settings.rasa_auth_token.get_secret_value()
    async with httpx.AsyncClient(base_url=rasa_url, timeout=30.0) as rasa:
        anonymous = await rasa.get("/status")
        wrong = await rasa.get("/status", params={"token": token + "x"})
        operator = await rasa.get("/status", params={"token": token})
        tracker = await rasa.get("/conversations/e2e-someone/tracker")
        channel = await rasa.post(
            "/webhooks/assistant/webhook", json={"sender": "e2e-api", "message": "xin chào"}
        )

    assert anonymous.status_code == wrong.status_code == tracker.status_code == 401
    assert operator.status_code == 200 and operator.json()["model_file"]
    assert channel.status_code == 200 and channel.json()["messages"]


async def test_public_health_says_up_without_details(gateway: httpx.AsyncClient) -> None:
    health = await gateway.get("/health")

    assert health.status_code == 200, health.text
    assert all(part == {"status": "up"} for part in health.json()["parts"].values())
    assert "Rasa" not in health.text  # the greeting with Rasa's version is for operators
