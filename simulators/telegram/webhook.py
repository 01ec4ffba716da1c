"""Delivering updates to a bot's webhook the way Telegram does.

Updates go out one at a time, in order, as JSON with `X-Telegram-Bot-Api-Secret-Token`
when a secret was set. An answer that is not 2xx, or slower than the timeout, leaves the
update pending: it is sent again (same `update_id`) after a delay, and getWebhookInfo
shows `last_error_date`/`last_error_message`. A 2xx answer whose JSON body names a
`method` has that method run, as Telegram does for replies made in the webhook answer.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from typing import Any

import httpx

from simulators.telegram.state import BotState, SimulatorState, now

__all__ = ["ensure_delivery", "stop_delivery"]

logger = logging.getLogger(__name__)


def ensure_delivery(state: SimulatorState, bot: BotState) -> None:
    """Start the bot's delivery worker if a webhook is set and none is running."""
    if not bot.webhook.get("url") or not bot.pending:
        return
    if bot.webhook_task is None or bot.webhook_task.done():
        bot.webhook_task = asyncio.create_task(_deliver_pending(state, bot))


def stop_delivery(bot: BotState) -> None:
    """Stop delivering (the webhook was deleted or replaced)."""
    if bot.webhook_task is not None:
        bot.webhook_task.cancel()
        bot.webhook_task = None


async def _post(state: SimulatorState, bot: BotState, update: dict[str, Any]) -> httpx.Response:
    assert state.http is not None, "the app sets the HTTP client at start-up"
    headers = {"Content-Type": "application/json"}
    if secret := bot.webhook.get("secret_token"):
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return await state.http.post(
        bot.webhook["url"],
        content=json.dumps(update, ensure_ascii=False).encode(),
        headers=headers,
        timeout=bot.config.webhook_timeout,
    )


async def _run_answered_method(
    state: SimulatorState, bot: BotState, response: httpx.Response
) -> None:
    if "json" not in response.headers.get("content-type", "") or state.execute is None:
        return
    try:
        answer = response.json()
    except ValueError:
        return
    if isinstance(answer, dict) and isinstance(answer.get("method"), str):
        params = {k: v for k, v in answer.items() if k != "method"}
        try:
            await state.execute(bot, answer["method"], params)
        except Exception:  # Telegram ignores a failing method in a webhook answer
            logger.info("method %s answered by the webhook failed", answer["method"])


async def _deliver_pending(state: SimulatorState, bot: BotState) -> None:
    attempts: Counter[int] = Counter()
    while bot.pending and bot.webhook.get("url"):
        update = bot.pending[0]
        update_id = update["update_id"]
        attempts[update_id] += 1
        entry: dict[str, Any] = {"update_id": update_id, "attempt": attempts[update_id]}
        error: str | None = None
        try:
            response = await _post(state, bot, update)
            entry["http_status"] = response.status_code
            if not response.is_success:
                status = f"{response.status_code} {response.reason_phrase}"
                error = f"Wrong response from the webhook: {status}"
        except httpx.TimeoutException:
            error = "Read timeout expired"
        except httpx.HTTPError as failure:
            error = f"Connection failed: {type(failure).__name__}"
        entry["error"] = error
        bot.deliveries.append(entry)
        if error is None:
            bot.pending.popleft()
            bot.mark_delivered(update_id)
            await _run_answered_method(state, bot, response)
            continue
        bot.webhook["last_error_date"] = now()
        bot.webhook["last_error_message"] = error
        limit = bot.config.webhook_max_attempts
        if limit and attempts[update_id] >= limit:
            bot.pending.popleft()  # given up on, as Telegram does after long enough
            bot.mark_delivered(update_id)
            continue
        await asyncio.sleep(bot.config.webhook_retry_delay)
