"""Issue 11's Telegram rows: webhook acknowledgement under load, message to reply, forgeries.

A gateway process in webhook mode (its own bot on its own Telegram simulator, the
shared stack's Rasa, action server and database) takes:

- 50 concurrent senders (each its own chat) posting updates with the secret header, as
  fast as the answers come: the time to the webhook's 200 (p50/p99, goal p99 ≤ 50 ms;
  the replies are made after it, through the Bot API, while the load goes on);
- then, once that backlog is answered, citizens writing through the simulator one at a
  time: the time from the update to the bot's reply in the simulator (p50);
- forged calls (missing, wrong or near-miss secret; valid, altered, malformed and
  oversized bodies): the share refused with 403 (goal 100%).
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
from typing import Any

import httpx
from pydantic import SecretStr

from bench.context import BenchContext
from bench.table import Row
from bench.webhook_load import post_concurrently
from testing.gateway_process import running_gateway
from testing.ports import free_port
from testing.processes import running_module

__all__ = ["AREA", "TIMEOUT_SECONDS", "run"]

AREA = "telegram"
TIMEOUT_SECONDS = 15 * 60.0

TOKEN = "888888:bench-telegram"
SECRET = "bench-telegram-secret_0123456789"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
SENDERS = 50
QUESTIONS = ("làm khai sinh cần giấy tờ gì", "lệ phí đăng ký kết hôn", "tạm trú nộp ở đâu")


def _update(update_id: int, chat_id: int, text: str) -> dict[str, Any]:
    person = {"id": chat_id, "first_name": "Bench"}
    message = {"message_id": update_id, "date": int(time.time()), "text": text}
    message |= {"chat": person | {"type": "private"}, "from": person | {"is_bot": False}}
    return {"update_id": update_id, "message": message}


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _acknowledgements(url: str, per_sender: int) -> tuple[list[float], int]:
    """Seconds to each 200 from 50 concurrent senders; the number of non-200 answers."""
    headers = {"Content-Type": "application/json", HEADER: SECRET}

    def body(index: int, turn: int) -> bytes:
        update = _update(index * 1000 + turn + 1, 5_000_000 + index, QUESTIONS[turn % 3])
        return json.dumps(update).encode()

    senders = [
        [(body(index, turn), headers) for turn in range(per_sender)] for index in range(SENDERS)
    ]
    return await post_concurrently(url, "/webhooks/telegram", senders)


async def _sent_count(sim: httpx.AsyncClient) -> int:
    return len((await sim.get("/_sim/sent", params={"token": TOKEN})).json())


async def _drain(sim: httpx.AsyncClient, expected: int, seconds: float) -> int:
    """Wait until the bot has sent `expected` messages (or `seconds` passed)."""
    deadline = time.monotonic() + seconds
    sent = await _sent_count(sim)
    while sent < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        sent = await _sent_count(sim)
    return sent


async def _message_to_reply(sim: httpx.AsyncClient, count: int) -> list[float]:
    """Seconds from a citizen's message (through the simulator) to the bot's first reply."""
    timings = []
    for index in range(count):
        chat_id = 6_000_000 + index
        body = {"chat_id": chat_id, "text": QUESTIONS[index % 3], "token": TOKEN}
        started = time.perf_counter()
        (await sim.post("/_sim/updates", json=body)).raise_for_status()
        while True:
            sent = await sim.get("/_sim/sent", params={"chat_id": chat_id, "token": TOKEN})
            if sent.json():
                break
            if time.perf_counter() - started > 30:
                raise TimeoutError(f"no reply to chat {chat_id} within 30 s")
            await asyncio.sleep(0.005)
        timings.append(time.perf_counter() - started)
    return timings


def _forgery(rng: random.Random, index: int) -> tuple[dict[str, str], bytes]:
    """One forged webhook call: headers and body (never the right secret)."""
    body = json.dumps(_update(10**6 + index, 7_000_000 + index, QUESTIONS[index % 3])).encode()
    bodies = [
        body,
        body.replace(b"khai sinh", b"tra cuu ho so 000.00.06.H56-231027-0361"),
        bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 200))),
        b'{"update_id": 1, "pad": "' + b"a" * 100_000 + b'"}',
    ]
    secrets = [
        None,
        "",
        SECRET.upper(),
        SECRET[:-1],
        SECRET + "0",
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789_-") for _ in range(32)),
    ]
    secret = secrets[index % len(secrets)]
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[HEADER] = secret
    return headers, bodies[(index // len(secrets)) % len(bodies)]


async def _forgeries_refused(url: str, count: int) -> tuple[int, int]:
    """(refused with 403, sent) over `count` varied forgeries."""
    rng = random.Random(11)
    refused = 0
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        for index in range(count):
            headers, body = _forgery(rng, index)
            response = await http.post("/webhooks/telegram", content=body, headers=headers)
            refused += response.status_code == 403
    return refused, count


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


async def run(context: BenchContext) -> list[Row]:
    """The Telegram rows (against a webhook-mode gateway beside the shared stack)."""
    stack = await context.assistant_stack()
    per_sender = 4 if context.quick else 20  # 20: the per-sender limit of a minute
    port = free_port()
    # Telegram's own pace is off: the rows are about the gateway, not Telegram's limits.
    unpaced = ("--tokens", TOKEN, "--per-chat-rate", "0", "--global-rate", "0")
    with running_module("simulators.telegram", *unpaced) as sim_url:
        settings = stack.settings.model_copy(
            update={
                "telegram_mode": "webhook",
                "telegram_bot_token": SecretStr(TOKEN),
                "telegram_webhook_secret": SecretStr(SECRET),
                "telegram_base_url": sim_url,
                "gateway_port": port,
                "public_base_url": f"http://127.0.0.1:{port}",
            }
        )
        log = context.out_dir / "logs" / "telegram-gateway.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with running_gateway(settings, log) as url:
            return await _rows(context, url, sim_url, per_sender)
    raise AssertionError("unreachable")


async def _rows(context: BenchContext, url: str, sim_url: str, per_sender: int) -> list[Row]:
    async with httpx.AsyncClient(base_url=sim_url, timeout=30) as sim:
        info = (await sim.get(f"/bot{TOKEN}/getWebhookInfo")).json()["result"]
        assert info["url"].endswith("/webhooks/telegram"), info
        acks, failures = await _acknowledgements(url, per_sender)
        sent = await _drain(sim, SENDERS * per_sender, seconds=600)
        replies = await _message_to_reply(sim, 5 if context.quick else 20)
    refused, forged = await _forgeries_refused(url, 120 if context.quick else 1200)
    p50, p99 = _quantile(acks, 0.5), _quantile(acks, 0.99)
    load = f"{SENDERS} senders × {per_sender}"
    return [
        Row(AREA, f"webhook ack p50 ({load})", _ms(p50)),
        Row(
            AREA,
            f"webhook ack p99 ({load}; {failures} not 200)",
            _ms(p99),
            "≤ 50 ms",
            p99 <= 0.050 and failures == 0,
        ),
        Row(AREA, "messages answered after the load", f"{sent}/{SENDERS * per_sender}"),
        Row(AREA, "message to reply p50 (through the simulator)", _ms(statistics.median(replies))),
        Row(AREA, "forgeries refused (403)", f"{refused}/{forged}", "100%", refused == forged),
    ]
