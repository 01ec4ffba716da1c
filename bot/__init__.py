"""The gateway: one FastAPI app with the channels, the Rasa client and the health route.

Behaviour of `POST /api/chat {message, sender?, locale?}` (docs/contracts.md):

- The conversation is the gateway's signed, HttpOnly cookie (`bot.web_identity`); the
  Rasa sender id `web-<hex>` is derived from it and from the optional `sender`, a
  sub-conversation's name (1-128 of `A-Z a-z 0-9 _ . @ + -`; `telegram:…` or anything
  with `:` is 422: only a channel's own route makes its ids).
- `message` is plain text, always: markup, SQL and emoji reach Rasa unchanged and are
  never interpreted; control characters are dropped and the text is NFC-normalised.
  Empty or whitespace-only → 200 with a prompt in Vietnamese and `intent: null`,
  without calling Rasa. Longer than 1,000 characters (`message_limits`, shared with the
  Rasa channel) → 200 with one reply asking to write more briefly, without calling Rasa.
- A body over 16 KiB → 413, more than `CHAT_RATE_PER_MINUTE` messages a minute from one
  client address → 429 with `Retry-After`, both in Vietnamese (`bot.chat_limits`).
- Invalid JSON, missing or mistyped fields → 422 `{"detail": "<Vietnamese>",
  "errors": [{"field", "problem"}]}`, never the input echoed back, never a stack trace.
- Rasa down, slow (`RASA_TIMEOUT_SECONDS`) or answering garbage → **503** with
  `Retry-After: 30` and the normal response shape whose only reply is the apology
  "Xin lỗi, hệ thống đang bận, vui lòng thử lại sau ít phút." (so a client can show
  `replies` whatever the status, and monitoring still sees the failure). Logged.
- Reply texts are plain text; clients must render them as text (the web chat page uses
  `textContent` only, under a CSP that allows no inline script).

Other routes: `GET /health` (200 only when Rasa, the action server and the database
answer, else 503 naming what is down) and `GET /` (the web chat page).

Adding a channel: see `bot.channels` (one module, one line in `CHANNELS`). Every
request gets an `X-Request-ID` (the caller's when sane), forwarded to Rasa and attached
to each JSON log line (`bot.observability`).
"""
