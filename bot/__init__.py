"""The gateway: one FastAPI app with the channels, the Rasa client and the health route.

Behaviour of `POST /api/chat {sender, message, locale?}` (docs/contracts.md):

- `sender`: 1-128 of `A-Z a-z 0-9 _ . : @ + -` (channel prefixes such as
  `sms:+8490…`, `telegram:123`); anything else is 422.
- `message` is plain text, always: markup, SQL and emoji reach Rasa unchanged and are
  never interpreted; control characters are dropped and the text is NFC-normalised.
  Empty or whitespace-only → 200 with a prompt in Vietnamese and `intent: null`,
  without calling Rasa. Longer than 2,000 characters → cut at a word boundary and
  answered, with a first reply saying that only the beginning was read (a citizen who
  pasted a long text still gets help; nothing is refused).
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
