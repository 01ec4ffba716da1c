"""Request bodies of bounded size, for the channels' webhooks (never read whole first)."""

from __future__ import annotations

from fastapi import HTTPException, Request

__all__ = ["read_limited"]


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, refused with 400 once it is over `limit` bytes (declared or streamed)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise HTTPException(status_code=400, detail="request body too large")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(status_code=400, detail="request body too large")
    return bytes(body)
