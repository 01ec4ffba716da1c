"""Zalo Official Account simulator (port 8400): the send and token APIs, and users.

- `POST /v3.0/oa/message/cs` (header `access_token`): Zalo's answer shapes and error
  codes (invalid/expired token, outside the 7-day window, rate limit, bad parameters).
- `POST /v4/oa/access_token` (header `secret_key`, form `refresh_token`, `app_id`,
  `grant_type`): single-use refresh tokens; access tokens live `access_ttl` seconds.
- `/_sim/users/{id}/text|button|follow|unfollow|image`: a user acts; the simulator signs
  the webhook event (`X-ZEvent-Signature`) and posts it to `webhook_url`, retrying on
  anything but 200 on Zalo's schedule, shortened (`webhook_retry_delays`).
- `/_sim/messages`, `/_sim/tokens`, `/_sim/deliveries`: what happened; `/_sim/config`.
"""
