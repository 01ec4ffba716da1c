"""Bot API methods about the bot and its updates: getMe, getUpdates, setWebhook, ..."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from typing import Any
from urllib.parse import urlsplit

from simulators.telegram.params import (
    Params,
    WithDescription,
    bad_request,
    json_param,
    optional_int,
)
from simulators.telegram.state import BotApiError, BotState, SimulatorState
from simulators.telegram.webhook import ensure_delivery, stop_delivery

__all__ = [
    "get_me",
    "get_updates",
    "set_webhook",
    "delete_webhook",
    "get_webhook_info",
    "set_my_commands",
    "get_my_commands",
    "delete_my_commands",
]

SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
WEBHOOK_PORTS = (80, 88, 443, 8443)
TERMINATED = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot "
    "instance is running"
)
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)


async def get_me(state: SimulatorState, bot: BotState, params: Params) -> dict[str, Any]:
    """getMe: the bot's own user."""
    return bot.user_json() | {
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def _confirm(bot: BotState, offset: int) -> None:
    """Forget updates before `offset` (a negative offset keeps only the last -offset)."""
    if offset < 0:
        while len(bot.pending) > -offset:
            bot.pending.popleft()
        return
    while bot.pending and bot.pending[0]["update_id"] < offset:
        bot.pending.popleft()


async def get_updates(state: SimulatorState, bot: BotState, params: Params) -> list[Any]:
    """getUpdates: long polling; a newer poll terminates an older one (409)."""
    if bot.webhook.get("url"):
        raise BotApiError(409, WEBHOOK_ACTIVE)
    offset = optional_int(params, "offset") or 0
    limit = min(100, max(1, optional_int(params, "limit") or 100))
    timeout = min(float(optional_int(params, "timeout") or 0), bot.config.max_poll_timeout)
    _confirm(bot, offset)
    generation = await bot.bump_pollers()
    deadline = time.monotonic() + timeout
    async with bot.poll_changed:
        while True:
            if bot.poll_generation != generation:
                raise BotApiError(409, TERMINATED)
            ready = list(bot.pending)[:limit]
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(bot.poll_changed.wait(), remaining)
    for update in ready:
        bot.mark_delivered(update["update_id"])
    return ready


def _check_webhook_url(bot: BotState, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
    if bot.config.require_https_webhook:
        if parts.scheme != "https":
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if (parts.port or 443) not in WEBHOOK_PORTS:
            raise bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )


async def set_webhook(state: SimulatorState, bot: BotState, params: Params) -> WithDescription:
    """setWebhook: deliver updates to a URL (an empty URL removes the webhook)."""
    url = str(params.get("url") or "")
    if not url:
        return await delete_webhook(state, bot, params)
    _check_webhook_url(bot, url)
    secret = params.get("secret_token")
    if secret is not None and not SECRET_TOKEN.match(str(secret)):
        raise bad_request("secret token contains unallowed characters")
    allowed = json_param(params, "allowed_updates", "can't parse allowed updates")
    settings = {
        "url": url,
        "secret_token": secret,
        "max_connections": optional_int(params, "max_connections") or 40,
        "allowed_updates": allowed,
    }
    if params.get("drop_pending_updates") in (True, "true", "True", "1"):
        bot.pending.clear()
    current = {key: bot.webhook.get(key) for key in settings}
    if current == settings:
        return WithDescription(True, "Webhook is already set")
    stop_delivery(bot)
    bot.webhook = settings
    await bot.bump_pollers()  # a getUpdates still waiting ends with a conflict
    ensure_delivery(state, bot)
    return WithDescription(True, "Webhook was set")


async def delete_webhook(state: SimulatorState, bot: BotState, params: Params) -> WithDescription:
    """deleteWebhook: back to getUpdates."""
    if params.get("drop_pending_updates") in (True, "true", "True", "1"):
        bot.pending.clear()
    if not bot.webhook.get("url"):
        return WithDescription(True, "Webhook is already deleted")
    stop_delivery(bot)
    bot.webhook = {}
    return WithDescription(True, "Webhook was deleted")


async def get_webhook_info(state: SimulatorState, bot: BotState, params: Params) -> dict[str, Any]:
    """getWebhookInfo: the webhook, the pending updates and the last delivery error."""
    info: dict[str, Any] = {
        "url": bot.webhook.get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": len(bot.pending),
    }
    if info["url"]:
        info["max_connections"] = bot.webhook["max_connections"]
        info["ip_address"] = "127.0.0.1"
        if bot.webhook.get("allowed_updates"):
            info["allowed_updates"] = bot.webhook["allowed_updates"]
        for key in ("last_error_date", "last_error_message"):
            if key in bot.webhook:
                info[key] = bot.webhook[key]
    return info


async def set_my_commands(state: SimulatorState, bot: BotState, params: Params) -> bool:
    """setMyCommands: the bot's command menu."""
    commands = json_param(params, "commands", "can't parse commands JSON object")
    if not isinstance(commands, list):
        raise bad_request("commands must be an Array")
    bot.commands = commands
    return True


async def get_my_commands(state: SimulatorState, bot: BotState, params: Params) -> list[Any]:
    """getMyCommands."""
    return bot.commands


async def delete_my_commands(state: SimulatorState, bot: BotState, params: Params) -> bool:
    """deleteMyCommands."""
    bot.commands = []
    return True
