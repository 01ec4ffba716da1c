"""A faithful test double of Twilio's Messages API (REST 2010-04-01), for development and tests.

Run it with `python -m simulators.twilio` (127.0.0.1:8200). The official `twilio` client
is pointed at it through the public `base_url` of the client's `api` domain; nothing
else changes (credentials, requests, paging, errors are Twilio's)::

    from twilio.rest import Client

    client = Client(account_sid, auth_token)
    client.api.base_url = "http://127.0.0.1:8200"  # instead of https://api.twilio.com
    client.messages.create(to="+84901234567", from_="+15005550006", body="Ho so ...")

Every URL the client builds under `client.api` (and `next_page_uri` when paging) goes
through `Domain.absolute_url`, which joins `base_url` with the resource path, so this is
the whole change. (A custom `HttpClient` that rewrites hosts works too, but it patches
every request instead of configuring the one domain we use.)

Routes: `POST|GET /2010-04-01/Accounts/{AccountSid}/Messages.json`,
`GET|DELETE /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json`; test routes
`GET /_sim/messages`, `GET /_sim/callbacks`, `GET|POST /_sim/config`, `POST /_sim/reset`,
`POST /_sim/inbound`, `GET /health`. Settings: see `config.TwilioSimConfig`.
"""

from simulators.twilio.app import create_app
from simulators.twilio.config import TwilioSimConfig, load_config
from simulators.twilio.segments import count_segments, encoding_of

__all__ = ["create_app", "TwilioSimConfig", "load_config", "count_segments", "encoding_of"]
