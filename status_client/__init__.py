"""The one-stop system client: the only code that knows its URLs and JSON.

Submodules (import them by name; the package itself re-exports nothing, so that
`import status_client.codes` does not import httpx: the Rasa environment uses `codes`
alone):

- `codes`: find and canonicalise dossier codes in free text (standard library only)
- `client`: `OneStopClient` (timeouts, retries, circuit breaker, cache)
- `models`, `parsing`, `exceptions`: typed results, the JSON they come from, the errors

What the assistant says about a dossier, and to whom, is `dossier_lookup`'s job.
"""
