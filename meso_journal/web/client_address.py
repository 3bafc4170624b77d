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


def _who(address: str) -> str:
    """The unit a limit counts: an IPv4 address, or an IPv6 /64. One home or
    phone gets a whole /64 and can pick any address in it, so counting single
    IPv6 addresses gave a guesser a fresh budget with each (found attacking the app)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip.ipv4_mapped or ip) if isinstance(ip, ipaddress.IPv6Address) else str(ip)


def client_address(peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str:
    """Who a request counts as for the rate limits (see _who)."""
    peer = peer or "?"
    if not trusted or not _trusted(peer, trusted) or not forwarded_for:
        return _who(peer)
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        if not _trusted(hop, trusted):
            try:
                return _who(str(ipaddress.ip_address(hop)))
            except ValueError:
                return _who(peer)  # garbage where an address should be: fall back to the proxy
    return _who(peer)
