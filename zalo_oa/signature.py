"""The Zalo webhook MAC: `X-ZEvent-Signature: mac=<hex>` over the raw body.

`hex = sha256(app_id + raw_body + timestamp + oa_secret_key)`: a plain SHA-256 of the
concatenation (not an HMAC), with `timestamp` the body's own field (milliseconds, as a
string). The simulator signs with `signature_header`; the gateway checks with
`signature_matches` (constant time).
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["HEADER", "mac", "signature_header", "signature_matches"]

HEADER = "X-ZEvent-Signature"
_PREFIX = "mac="


def mac(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """The hex digest Zalo sends for this body."""
    digest = hashlib.sha256()
    digest.update(app_id.encode())
    digest.update(raw_body)
    digest.update(timestamp.encode())
    digest.update(oa_secret_key.encode())
    return digest.hexdigest()


def signature_header(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """The header's value: `mac=<hex>`."""
    return _PREFIX + mac(app_id, raw_body, timestamp, oa_secret_key)


def signature_matches(
    header: str | None, *, app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str
) -> bool:
    """True when `header` is `mac=<hex>` with the right digest (compared in constant time)."""
    if not header or not header.startswith(_PREFIX):
        return False
    expected = mac(app_id, raw_body, timestamp, oa_secret_key)
    return hmac.compare_digest(header[len(_PREFIX) :].strip().lower(), expected)
