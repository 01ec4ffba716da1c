"""Where a request comes from: the peer, or what trusted proxies say the client is.

`X-Forwarded-For` is only believed when the peer is one of `TRUSTED_PROXIES` (IPs or
CIDRs): then the client is the right-most address in the header that is not itself a
trusted proxy (each proxy appends the address it saw; anything to the left of that was
written by the client and may be forged). Without trusted proxies the header is ignored.
"""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from fastapi import Request

__all__ = ["ClientAddresses"]

UNKNOWN = "unknown"


class ClientAddresses:
    """Finds a request's client address (made once, from the `TRUSTED_PROXIES` setting)."""

    def __init__(self, trusted_proxies: str = "") -> None:
        self.trusted: list[IPv4Network | IPv6Network] = [
            ip_network(item.strip(), strict=False)
            for item in trusted_proxies.split(",")
            if item.strip()
        ]

    def _is_trusted(self, address: str) -> bool:
        try:
            parsed = ip_address(address)
        except ValueError:
            return False
        return any(parsed in network for network in self.trusted)

    def of(self, request: Request) -> str:
        """The client's address (an IP; `unknown` when the server was not told the peer)."""
        peer = request.client.host if request.client else UNKNOWN
        if not self.trusted or not self._is_trusted(peer):
            return peer
        client = peer
        for header in reversed(request.headers.getlist("x-forwarded-for")):
            for hop in reversed(header.split(",")):
                hop = hop.strip()
                try:
                    ip_address(hop)
                except ValueError:
                    return client  # garbage the client wrote: the last sane hop is it
                client = hop
                if not self._is_trusted(hop):
                    return client
        return client
