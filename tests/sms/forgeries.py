"""Generated forgeries of Twilio's webhooks: every way a request can fail to be Twilio's.

Each kind is a function of a seeded `random.Random` and a genuine request (its form and
its correct signature); together they make the abuse matrix of issue 11.5 for SMS:
wrong signatures (random, other token, other URL, other path, truncated, case-changed,
for the body before a change), altered bodies, a missing header, oversized bodies, and
malformed forms (not UTF-8, bad percent-escapes, not a form at all). Every one of them
must be refused (400 or 403) with nothing processed and nothing stored.
"""

from __future__ import annotations

import base64
import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from sms_helpers import AUTH_TOKEN, PUBLIC_BASE_URL
from twilio.request_validator import RequestValidator

__all__ = ["Forgery", "forgeries", "genuine_form"]

INBOUND = "/webhooks/twilio/sms"
STATUS = "/webhooks/twilio/status"
FORM = "application/x-www-form-urlencoded"
OVERSIZED_BYTES = 16_385  # one over SMS_WEBHOOK_MAX_BYTES


@dataclass(frozen=True)
class Forgery:
    """One request that is not Twilio's, and the status it must get."""

    kind: str
    path: str
    content: bytes
    headers: dict[str, str]
    expected: int


def sign(path: str, form: dict[str, str], *, token: str = AUTH_TOKEN, base: str = "") -> str:
    return RequestValidator(token).compute_signature((base or PUBLIC_BASE_URL) + path, form)


def genuine_form(rng: random.Random, path: str, victim: str) -> dict[str, str]:
    """A form as Twilio would post it to `path`, from `victim`."""
    sid = "SM" + "".join(rng.choices("0123456789abcdef", k=32))
    if path == STATUS:
        status = rng.choice(["sent", "delivered", "undelivered", "failed"])
        return {"MessageSid": "SMsentbyus", "MessageStatus": status, "ErrorCode": "30003"}
    body = rng.choice(["STOP", "START", "5", "giay to lam khai sinh", "000.00.06.H56-231027-0361"])
    return {"MessageSid": sid, "AccountSid": "AC" + "0" * 32, "From": victim, "Body": body}


def _request(kind: str, path: str, form: dict[str, str], signature: str | None) -> Forgery:
    headers = {"Content-Type": FORM}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    return Forgery(kind, path, urlencode(form).encode(), headers, 403)


def _random_signature(rng: random.Random, path: str, form: dict[str, str]) -> Forgery:
    raw = rng.randbytes(rng.choice([0, 1, 19, 20, 21, 32, 64]))
    return _request("random signature", path, form, base64.b64encode(raw).decode())


def _other_token(rng: random.Random, path: str, form: dict[str, str]) -> Forgery:
    token = "".join(rng.choices(string.ascii_letters + string.digits, k=rng.randint(1, 40)))
    return _request("other auth token", path, form, sign(path, form, token=token + "x"))


def _other_url(rng: random.Random, path: str, form: dict[str, str]) -> Forgery:
    base = rng.choice(
        ["http://testserver", "http://motcua.example.gov.vn", "https://attacker.example",
         PUBLIC_BASE_URL + "/", PUBLIC_BASE_URL.upper(), "https://127.0.0.1:8000"]
    )  # fmt: skip
    return _request("signed for another URL", path, form, sign(path, form, base=base))


def _other_path(rng: random.Random, path: str, form: dict[str, str]) -> Forgery:
    other = STATUS if path == INBOUND else INBOUND
    if rng.random() < 0.5:
        other = path + "?x=1"
    return _request("signed for another path", path, form, sign(other, form))


def _mangled_signature(rng: random.Random, path: str, form: dict[str, str]) -> Forgery:
    good = sign(path, form)
    mangle = rng.choice(
        [lambda s: s[:-1], lambda s: s[1:], lambda s: s.swapcase(), lambda s: s + "=",
         lambda s: s[::-1], lambda s: " " + s, lambda s: s[:10]]
    )  # fmt: skip
    forged = mangle(good)
    return _request("mangled signature", path, form, forged if forged != good else forged + "A")


def _altered_body(rng: random.Random, path: str, form: dict[str, str]) -> Forgery:
    altered = dict(form)
    field = rng.choice(sorted(altered))
    change = rng.choice(["edit", "drop", "add"])
    if change == "edit":
        altered[field] = altered[field] + rng.choice(["1", " ", "X", "\u0301"])
    elif change == "drop":
        del altered[field]
    else:
        altered["Extra" + str(rng.randint(0, 99))] = "1"
    return _request(f"body altered ({change})", path, altered, sign(path, form))


def _missing_header(rng: random.Random, path: str, form: dict[str, str]) -> Forgery:
    if rng.random() < 0.5:
        return _request("missing signature header", path, form, None)
    return _request("empty signature header", path, form, rng.choice(["", " "]))


def _oversized(rng: random.Random, path: str, form: dict[str, str]) -> Forgery:
    big = dict(form, Body="a" * (OVERSIZED_BYTES + rng.randint(0, 50_000)))
    forged = _request("oversized body", path, big, sign(path, big))
    return Forgery(forged.kind, path, forged.content, forged.headers, 400)


def _malformed(rng: random.Random, path: str, form: dict[str, str]) -> Forgery:
    genuine = urlencode(form).encode()
    # Not UTF-8, not key=value pairs, or not a form: 400 before the signature is read.
    # Broken percent-escapes decode (to U+FFFD) and then fail the signature: 403.
    content, content_type, expected = rng.choice(
        [(b"\xff\xfe=\x00", FORM, 400), (genuine + b"&\xc3", FORM, 400),
         (b"a&&b==c", FORM, 400), (b"MessageSid", FORM, 400),
         (b'{"Body": "hi"}', "application/json", 400), (genuine, "text/plain", 400),
         (genuine, "multipart/form-data", 400), (genuine, "", 400),
         (b"Body=%E0%A4%A", FORM, 403), (genuine + b"%ff%fe", FORM, 403)]
    )  # fmt: skip
    headers = {"X-Twilio-Signature": sign(path, form)}
    if content_type:
        headers["Content-Type"] = content_type
    return Forgery("malformed form", path, content, headers, expected)


KINDS: tuple[Callable[[random.Random, str, dict[str, str]], Forgery], ...] = (
    _random_signature,
    _other_token,
    _other_url,
    _other_path,
    _mangled_signature,
    _altered_body,
    _missing_header,
    _oversized,
    _malformed,
)


def forgeries(count: int, *, victim: str, seed: int = 11) -> list[Forgery]:
    """`count` forgeries of both webhooks, every kind in turn, reproducibly."""
    rng = random.Random(seed)
    made = []
    for n in range(count):
        path = INBOUND if n % 4 else STATUS
        made.append(KINDS[n % len(KINDS)](rng, path, genuine_form(rng, path, victim)))
    return made
