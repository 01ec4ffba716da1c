"""The notifier: status changes of dossiers → SMS and chat messages, once each, in order.

Modules: `watcher` (changes feed → outbox, with the cursor in the same transaction),
`outbox` (claim / record), `dispatcher` (the sender loop and its crash-safety design),
`senders` (Twilio, Telegram, Zalo), `templates`, `quiet_hours`, `optouts`, `survey`,
`subscriptions`, `inbound` (SMS answered without Rasa), `stack` and `bench` (local
processes for the fault suite and the figures). Run it with `python -m notifier`.
"""
