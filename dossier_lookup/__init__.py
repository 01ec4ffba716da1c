"""The dossier-lookup service: what the assistant says about a dossier, and to whom.

Actions and channels call it; it calls `status_client` (the only code that knows the
one-stop system). Submodules:

- `lookup`: `DossierLookup`: `fetch()` (the one way to a dossier, every limit applied)
  and `reply()` (one citizen message about a dossier → one reply)
- `privacy`: what a code alone may reveal, and the second factor that unlocks the rest
- `limiter`, `limiter_redis`: failed lookups per sender (in process, or in Redis)
- `quota`: distinct dossiers per client address, per conversation and overall
- `lockout`: wrong second factors per dossier, with a growing lock-out
- `stores_redis`: the quota and lock-out counts in Redis (shared by every process)
- `build`: the service and its limits from `Settings`
- `replies`: the wording of every lookup reply
- `metrics`: lookups by outcome, for Prometheus
(docs/contracts.md, "Dossier privacy", explains the choices.)
"""
