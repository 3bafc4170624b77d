"""Which address a rate limit counts: the peer, unless a trusted proxy vouches."""

import pytest

from meso_journal.web.client_address import client_address, parse_networks

PROXIES = parse_networks("10.0.0.0/8, 192.168.1.5")


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "trusted", "expected"),
    [
        ("203.0.113.7", None, (), "203.0.113.7"),
        ("203.0.113.7", "1.2.3.4", (), "203.0.113.7"),  # nothing trusted: the header is ignored
        ("203.0.113.7", "1.2.3.4", PROXIES, "203.0.113.7"),  # not from a proxy: ignored
        ("10.0.0.2", "1.2.3.4", PROXIES, "1.2.3.4"),
        ("10.0.0.2", "6.6.6.6, 1.2.3.4", PROXIES, "1.2.3.4"),  # what the client sent is never believed
        ("10.0.0.2", "1.2.3.4, 192.168.1.5", PROXIES, "1.2.3.4"),  # two proxies in a row
        ("10.0.0.2", "10.0.0.9, 10.0.0.3", PROXIES, "10.0.0.2"),  # only proxies: the peer
        ("10.0.0.2", "not-an-address", PROXIES, "10.0.0.2"),
        ("10.0.0.2", "", PROXIES, "10.0.0.2"),
        ("10.0.0.2", "2001:DB8::0001", PROXIES, "2001:db8::/64"),  # an IPv6 client counts as its /64
        (None, None, PROXIES, "?"),
    ],
)
def test_it_finds_the_client(peer, forwarded_for, trusted, expected):
    assert client_address(peer, forwarded_for, trusted) == expected


def test_it_reads_addresses_and_networks():
    assert [str(n) for n in parse_networks(" 10.0.0.1 ,fd00::/8,")] == ["10.0.0.1/32", "fd00::/8"]
    assert parse_networks("") == ()
    with pytest.raises(ValueError):
        parse_networks("10.0.0.1, proxy.example.org")


def test_every_forwarded_line_is_read_not_only_the_clients(monkeypatch):
    # The client sends its own (forged) X-Forwarded-For line; a proxy that adds
    # a second line instead of appending must still be the one believed.
    from starlette.requests import Request

    from meso_journal import settings
    from meso_journal.web import cookies

    monkeypatch.setattr(settings, "TRUSTED_PROXIES", parse_networks("127.0.0.1"))
    headers = [(b"x-forwarded-for", b"6.6.6.6"), (b"x-forwarded-for", b"203.0.113.7")]
    request = Request({"type": "http", "headers": headers, "client": ("127.0.0.1", 5000)})
    assert cookies.client(request) == "203.0.113.7"


def test_every_address_of_one_ipv6_64_counts_as_one_client():
    """One home gets a whole /64: counting single addresses gave a guesser a
    fresh budget with each (found attacking the app)."""
    same = {client_address(f"2001:db8:1:2::{i:x}", None, ()) for i in range(1, 200, 7)}
    assert same == {"2001:db8:1:2::/64"}
    assert client_address("2001:db8:1:3::1", None, ()) != client_address("2001:db8:1:2::1", None, ())
    assert client_address("::ffff:198.51.100.7", None, ()) == "198.51.100.7"  # IPv4 as IPv6 is IPv4
    assert client_address("198.51.100.7", None, ()) == "198.51.100.7"
