"""The gateway counts questions per channel in memory and writes them in batches, not per chat."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from bot.app import create_app
from db import make_engine, make_session_factory, upgrade_to_head
from office_figures.models import QuestionTally
from settings import Settings
from testing.fake_rasa import FakeRasa, birth_documents_answer


async def test_questions_are_counted_off_the_request_path_and_written_at_shutdown(
    gateway_settings: Settings, fake_rasa: FakeRasa
) -> None:
    url = gateway_settings.database_url
    upgrade_to_head(url)
    rasa = fake_rasa
    rasa.answers["giấy tờ làm khai sinh"] = birth_documents_answer()
    rasa.answers["asdfgh"] = {"messages": [{"text": "?"}], "intent": "nlu_fallback"}
    app = create_app(gateway_settings, transport=httpx.MockTransport(rasa))
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as chat:
            for message in ("giấy tờ làm khai sinh", "asdfgh", "giấy tờ làm khai sinh", "  "):
                response = await chat.post("/api/chat", json={"message": message})
                assert response.status_code == 200
            rasa.mode = "down"
            assert (
                await chat.post("/api/chat", json={"message": "còn đó không"})
            ).status_code == 503
        with sessions() as session:  # nothing written while chatting
            assert session.scalars(select(QuestionTally)).all() == []
    with sessions() as session:
        rows = session.scalars(select(QuestionTally)).all()
    engine.dispose()
    assert [(r.channel, r.questions, r.fallbacks, r.failures) for r in rows] == [
        ("webchat", 4, 1, 1)  # the blank message is no question
    ]
