"""The client address behind a configured number of trusted proxies."""

import pytest
from django.test import RequestFactory

from operations.client_ip import client_ip, client_network


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, None, "192.0.2.1"),
        (0, "198.51.100.7", "192.0.2.1"),
        (1, None, "192.0.2.1"),
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (3, "198.51.100.7", "198.51.100.7"),
        (1, "not-an-ip", "192.0.2.1"),
        (1, " , ", "192.0.2.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_trusts_only_the_configured_hops(settings, hops, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = hops
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", **headers)

    assert client_ip(request) == expected


@pytest.mark.parametrize(
    ("address", "prefix", "expected"),
    [
        ("192.0.2.1", 64, "192.0.2.1"),
        ("2001:db8:1:2::5", 64, "2001:db8:1:2::/64"),
        ("2001:DB8:1:2:ffff:0:0:1", 64, "2001:db8:1:2::/64"),
        ("2001:db8:1:3::5", 64, "2001:db8:1:3::/64"),
        ("2001:db8:1:3::5", 56, "2001:db8:1::/56"),
        ("2001:db8:1:3::5", 128, "2001:db8:1:3::5/128"),
        # A dual-stack socket reports IPv4 clients as IPv4-mapped addresses: each one is itself,
        # not all of them one ::/64.
        ("::ffff:192.0.2.7", 64, "192.0.2.7"),
    ],
)
def test_rate_limits_count_an_ipv6_client_by_its_network(settings, address, prefix, expected):
    settings.RATE_LIMIT_IPV6_PREFIX = prefix
    request = RequestFactory().get("/", REMOTE_ADDR=address)

    assert client_network(request) == expected
