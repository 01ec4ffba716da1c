"""The SMS channel: Twilio's webhooks and the conversation by text message.

- `webhooks`: `POST /webhooks/twilio/sms` (one inbound text → TwiML) and
  `POST /webhooks/twilio/status` (delivery reports onto the outbox), behind the signed-form
  guard `verified_form`; the per-sender limit and the turn runner (`bot.channels.turn`)
  as on every channel, the conversation `sms:<phone>`.
- `inbound`: what a text is answered with, without Rasa where possible: keywords, survey
  answers, dossier codes (the degraded path), else a conversation turn; each MessageSid
  handled once.
- `inbound_log`: the one hot statement, claiming a MessageSid.
- `keywords`: STOP / START / HELP in Vietnamese and English.

The tables it writes (`notifier_inbound_sms`, opt-outs, survey answers) are the
notifier's: the notifier reads them at send time (opt-outs, a number that just texted
us) and purges them after the retention.
"""

from bot.channels.sms.webhooks import router, twilio_form, verified_form

__all__ = ["router", "twilio_form", "verified_form"]
