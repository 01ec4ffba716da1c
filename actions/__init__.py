"""Rasa custom actions (rasa_sdk), one module per topic, thin.

`python -m rasa_sdk --actions actions` imports this package and registers every Action
subclass in its modules: procedures (action_answer_procedure), fallback
(action_default_fallback), dossiers (action_lookup_dossier) and subscriptions
(action_subscribe_dossier, action_confirm_subscription, action_unsubscribe_dossier).
"""

from settings import get_settings
from settings.logs import install_redaction

# rasa_sdk has set up its log handlers by the time it imports this package: mask secrets,
# phones and one-time codes in everything the action server logs. This also reads the
# settings now, so that a production server with unsafe settings refuses to start.
install_redaction(get_settings())
