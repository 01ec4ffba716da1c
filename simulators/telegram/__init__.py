"""A faithful test double of the Telegram Bot API, for development and tests.

Run it with `python -m simulators.telegram` (127.0.0.1:8300). python-telegram-bot is
pointed at it with its documented `base_url` parameter (the token is appended to it)::

    from telegram import Bot

    bot = Bot(token, base_url="http://127.0.0.1:8300/bot")
    # or: Application.builder().token(token).base_url("http://127.0.0.1:8300/bot")

Bot API: `GET|POST /bot{token}/{method}` for getMe, sendMessage, getUpdates, setWebhook,
deleteWebhook, getWebhookInfo, answerCallbackQuery, editMessageText,
editMessageReplyMarkup, deleteMessage, sendChatAction, set/get/deleteMyCommands. Test
routes: `POST /_sim/updates` (a user writes, sends a sticker/photo/voice/file, or presses
a button), `GET /_sim/updates`,
`GET /_sim/sent`, `GET /_sim/deliveries`, `GET /_sim/callback_queries`,
`GET /_sim/chat_actions`,
`GET|POST /_sim/config`, `POST /_sim/reset`, `GET /health`. Settings: see
`config.TelegramSimConfig`.
"""

from simulators.telegram.app import create_app
from simulators.telegram.config import TelegramSimConfig, load_config

__all__ = ["create_app", "TelegramSimConfig", "load_config"]
