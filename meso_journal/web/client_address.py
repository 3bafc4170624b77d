"""The address a request really came from, for rate limits.

Behind a reverse proxy every request arrives from the proxy's address, so a
limit keyed on it would lock every doctor out together. When the direct
peer is a proxy listed in MESO_TRUSTED_PROXIES, the client is the rightmost
address in X-Forwarded-For that is not itself a trusted proxy: proxies
append to the header, so everything left of that is whatever the client
chose to send and is never believed."""

from __future__ import annotations

import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> tuple[Network, ...]:
    """ "10.0.0.1, 192.168.0.0/16" → networks. Raises ValueError on a bad entry."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())


def _trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str:
    peer = peer or "?"
    if not trusted or not _trusted(peer, trusted) or not forwarded_for:
        return peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        if not _trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # garbage where an address should be: fall back to the proxy
    return peer
