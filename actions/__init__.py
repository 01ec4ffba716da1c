"""Rasa custom actions (rasa_sdk), one module per topic, thin.

`python -m rasa_sdk --actions actions` imports this package and registers every Action
subclass in its modules: procedures (action_answer_procedure), fallback
(action_default_fallback), dossiers (action_lookup_dossier) and subscriptions
(action_subscribe_dossier, action_confirm_subscription, action_unsubscribe_dossier).
"""
