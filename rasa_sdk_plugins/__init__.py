"""rasa_sdk's plugin package: the action server imports it by this exact name at start-up
(`rasa_sdk.plugin`) and calls `init_hooks`. It adds `/metrics` (see `actions.metrics`)."""

from __future__ import annotations

import pluggy

from actions import metrics

__all__ = ["init_hooks"]


def init_hooks(manager: pluggy.PluginManager) -> None:
    """Register the action server's extensions with rasa_sdk's plugin manager."""
    manager.register(metrics)
