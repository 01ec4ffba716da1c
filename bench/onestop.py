"""The bench stack's one-stop simulator, seen from outside: its dossiers and fault switch."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

__all__ = ["Simulator", "loopback"]


def loopback(url: str) -> str:
    """`url`, refusing anything but this machine (the bench only loads its own stack)."""
    if urlsplit(url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise RuntimeError(f"the bench runs on loopback only, not {url}")
    return url


class Simulator:
    """The stack's one-stop simulator: its dossiers, request counts and fault switch."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def codes(self, count: int, offset: int = 0) -> list[str]:
        found: list[str] = []
        while len(found) < count:
            params = {"limit": min(500, count - len(found)), "offset": offset + len(found)}
            response = await self.http.get("/api/dossiers", params=params)
            response.raise_for_status()
            items = response.json()["items"]
            if not items:
                raise RuntimeError(f"the simulator has fewer than {offset + count} dossiers")
            found += [item["MaHoSo"] for item in items]
        return found

    async def all_codes(self) -> list[str]:
        """Every dossier code the simulator holds."""
        found: list[str] = []
        while True:
            params = {"limit": 500, "offset": len(found)}
            response = await self.http.get("/api/dossiers", params=params)
            response.raise_for_status()
            page = response.json()
            found += [item["MaHoSo"] for item in page["items"]]
            if not page["items"] or len(found) >= page["total"]:
                return found

    async def calls(self) -> int:
        """`/api/*` requests the simulator has seen, whatever their outcome."""
        response = await self.http.get("/_sim/stats")
        response.raise_for_status()
        return sum(response.json()["requests"].values())

    async def faults(self, **settings: float) -> None:
        (await self.http.post("/_sim/faults", json=settings)).raise_for_status()
