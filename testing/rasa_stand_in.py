"""A Rasa stand-in over real HTTP, for gateway processes (not in-process apps).

`FakeRasa` is an httpx handler: only an app in the test's own process can use it. A
gateway started as a process (to be SIGKILLed, or two of them on one database) needs
Rasa at a URL: this serves the same documented JSON (`FakeRasa.answer`) on loopback,
answers the action server's `/health` too, and can hold its answers back (a turn under
way) until the test lets them go.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse

from simulators.common import running_server
from testing.fake_rasa import FakeRasa

__all__ = ["RasaStandIn", "running_rasa"]

HOLD_AT_MOST_SECONDS = 60.0


class RasaStandIn:
    """Records every message it is asked about; answers at once unless held."""

    def __init__(self) -> None:
        self.fake = FakeRasa()
        self.received: list[str] = []
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._released.set()

    def hold(self) -> None:
        """Keep every answer from now on until `release`."""
        self._released.clear()

    def release(self) -> None:
        """Let held and later answers go."""
        self._released.set()

    def texts(self) -> list[str]:
        """The messages received so far."""
        with self._lock:
            return list(self.received)

    def app(self) -> FastAPI:
        """The HTTP app: Rasa's `GET /` and channel webhook, the action server's /health."""
        app = FastAPI()

        @app.get("/", response_class=PlainTextResponse)
        async def hello() -> str:
            return "Hello from Rasa: 3.6.21"

        @app.get("/health")
        async def health() -> dict[str, str]:
            return {"status": "ok"}

        @app.post("/webhooks/assistant/webhook")
        async def webhook(request: Request) -> dict[str, Any]:
            body = await request.json()
            with self._lock:
                self.received.append(body["message"])
            await asyncio.to_thread(self._released.wait, HOLD_AT_MOST_SECONDS)
            return self.fake.answer(body["message"])

        return app


@contextmanager
def running_rasa() -> Iterator[tuple[RasaStandIn, str]]:
    """A stand-in served on a free loopback port: (the stand-in, its URL)."""
    rasa = RasaStandIn()
    try:
        with running_server(rasa.app()) as url:
            yield rasa, url
    finally:
        rasa.release()  # no request thread left waiting
