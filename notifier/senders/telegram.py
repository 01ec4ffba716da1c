"""Chat messages through the Telegram Bot API with python-telegram-bot's `Bot`.

`TELEGRAM_BASE_URL` points the bot at the simulator. Telegram allows about 30 messages a
second overall and 1 a second per chat; the dispatcher keeps both (the per-chat gap is
enforced across processes by pushing the chat's next outbox row back). Telegram has no
way to look a sent message up, so an attempt with an unknown outcome is sent again: chat
notifications are at-least-once in that one case (documented in notifier/dispatcher.py).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.error import TelegramError as PTBError
from telegram.request import HTTPXRequest

from notifier.exceptions import (
    DeferredSendError,
    PermanentSendError,
    TransientSendError,
    UncertainSendError,
)
from notifier.models import ChannelName
from notifier.outbox import ClaimedMessage
from settings import Settings

__all__ = ["TelegramSender"]

log = logging.getLogger("notifier.senders.telegram")


class TelegramSender:
    """Sends Telegram rows (address = chat id) through one `telegram.Bot`."""

    channel = ChannelName.TELEGRAM

    def __init__(
        self,
        settings: Settings,
        *,
        rate: float,
        chat_interval: float,
        concurrency: int = 16,
        timeout: float = 10.0,
    ) -> None:
        self.rate = rate
        self.recipient_interval = chat_interval
        base = (settings.telegram_base_url or "https://api.telegram.org").rstrip("/")
        request = HTTPXRequest(
            connection_pool_size=concurrency,
            read_timeout=timeout,
            write_timeout=timeout,
            connect_timeout=min(timeout, 5.0),
        )
        self._bot = Bot(
            settings.telegram_bot_token.get_secret_value(),
            base_url=f"{base}/bot",
            request=request,
        )

    async def send(self, message: ClaimedMessage) -> str:
        """sendMessage; return "chat_id:message_id"."""
        try:
            sent = await self._bot.send_message(chat_id=message.address, text=message.body)
        except RetryAfter as error:
            after = error.retry_after
            seconds = after.total_seconds() if isinstance(after, timedelta) else float(after)
            raise DeferredSendError(str(error), code="429", retry_after=seconds) from error
        except (Forbidden, BadRequest) as error:
            # Blocked by the user, chat not found, text refused: retrying cannot help.
            raise PermanentSendError(f"Telegram refused: {error.message}") from error
        except InvalidToken as error:
            # 401 (a rotated bot token): our fault, never the message's.
            log.error("ALERT: Telegram refuses the bot token (messages wait): %s", error)
            raise DeferredSendError(
                f"Telegram token refused: {error}", code="401", retry_after=60.0
            ) from error
        except TimedOut as error:
            raise UncertainSendError(f"Telegram did not answer in time: {error}") from error
        except NetworkError as error:
            raise TransientSendError(f"Telegram unreachable or failing: {error}") from error
        except PTBError as error:
            raise TransientSendError(f"Telegram error: {error}") from error
        return f"{sent.chat.id}:{sent.message_id}"

    async def find_candidates(self, message: ClaimedMessage) -> list[str]:
        """The Bot API cannot list sent messages: nothing to find."""
        return []

    async def aclose(self) -> None:
        """Close the bot's HTTP connections."""
        await self._bot.shutdown()
