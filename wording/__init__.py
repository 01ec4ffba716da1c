"""What the assistant tells a citizen about a dossier's status, on every channel.

`wording.status` holds the one table keyed by status (label, next step, whether the due
date matters) and the status messages built from it for chat and SMS; the chat reply to
a lookup (`dossier_lookup.replies`) and the SMS reply to an inbound lookup
(`bot.channels.sms.inbound`) take their sentences from the same table.
"""
