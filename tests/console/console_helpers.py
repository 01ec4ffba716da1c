"""Helpers of the console tests (importable by test modules, unlike conftest)."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

__all__ = ["client_of"]


def client_of(app: FastAPI, address: str = "127.0.0.1") -> httpx.AsyncClient:
    """A cookie-keeping client of `app` from `address` (a browser, as far as cookies go)."""
    transport = httpx.ASGITransport(app=app, client=(address, 40_000))
    return httpx.AsyncClient(transport=transport, base_url="http://gateway.test")
