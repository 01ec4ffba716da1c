"""Concurrent webhook senders that measure the gateway, not themselves.

httpx costs about 4 ms of CPU per request: 50 senders in one process spent most of the
ack time in the load generator's own event loop (at 1,000 acks it was 90% busy while the
gateway handled each call in 9 ms, p50, by its own access log). Here each sender keeps one
HTTP/1.1 keep-alive connection and writes requests built before the clock starts; the
time taken is from writing a request to having read its whole answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

__all__ = ["WebhookCall", "post_concurrently"]

WebhookCall = tuple[bytes, Mapping[str, str]]  # raw body, headers


def _request(host: str, path: str, body: bytes, headers: Mapping[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _answer_status(reader: asyncio.StreamReader) -> int:
    """Read one whole answer (Content-Length framed, as uvicorn sends); its status."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    status = int(head.split(" ", 2)[1])
    length = 0
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def post_concurrently(
    url: str, path: str, senders: Sequence[Sequence[WebhookCall]]
) -> tuple[list[float], int]:
    """Each sender posts its calls one after another, all senders at once: seconds to
    each answer, and how many answers were not 200."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    timings: list[float] = []
    failures = 0

    async def sender(calls: Sequence[WebhookCall]) -> None:
        nonlocal failures
        requests = [_request(f"{host}:{port}", path, body, headers) for body, headers in calls]
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for request in requests:
                started = time.perf_counter()
                writer.write(request)
                status = await _answer_status(reader)
                timings.append(time.perf_counter() - started)
                failures += status != 200
        finally:
            writer.close()
            await writer.wait_closed()

    await asyncio.gather(*(sender(calls) for calls in senders))
    return timings, failures
