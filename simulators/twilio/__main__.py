"""Twilio Messages API simulator: `python -m simulators.twilio [--port 8200] [--rate-limit 100]`.

Each `TwilioSimConfig` field is a flag (`--auth-token ...`) and overrides `TWILIO_SIM_*`.
Lists are comma-separated; a number ending in * is a prefix.
"""

from simulators.common import serve
from simulators.twilio.app import create_app
from simulators.twilio.config import load_config

if __name__ == "__main__":
    serve("twilio", __doc__, load_config(), create_app)
