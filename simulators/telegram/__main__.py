"""Telegram Bot API simulator: `python -m simulators.telegram [--port 8300] [--tokens ...]`.

Every setting of `TelegramSimConfig` is a flag (`--global-rate 30`) that overrides its
`TELEGRAM_SIM_*` environment variable. Lists are comma-separated.
"""

from simulators.common import serve
from simulators.telegram.app import create_app
from simulators.telegram.config import load_config

if __name__ == "__main__":
    serve("telegram", __doc__, load_config(), create_app)
