"""Code imported by the Rasa process: tokenizer, tracker store, input channel.

Runs in `.venv-rasa` (Python 3.10, rasa 3.6.21); imports only rasa and `vntext`.
"""
