"""The dossier-lookup service: what the assistant says about a dossier, and to whom.

Actions and channels call it; it calls `status_client` (the only code that knows the
one-stop system). Submodules:

- `lookup`: `DossierLookup`, one citizen message about a dossier → one reply
- `privacy`: what a code alone may reveal, and the second factor that unlocks the rest
- `limiter`, `limiter_redis`: counts that stop code guessing (in process, or in Redis)
- `replies`: the wording of every lookup reply
"""
