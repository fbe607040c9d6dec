"""Address safety: private, loopback, link-local and other non-public addresses are refused up front."""

from __future__ import annotations

import ipaddress

import pytest

from index.crawl.netsafety import AddressPolicy, UnsafeURLError, parse_allow_list, refusal_reason


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not globally routable"),
        ("::ffff:10.0.0.1", "private"),
        ("fd00::1", "private"),
    ],
)
def test_non_public_addresses_have_a_reason(address: str, reason: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None


def test_ip_literal_urls_are_checked_without_lookup() -> None:
    policy = AddressPolicy()
    with pytest.raises(UnsafeURLError, match="169.254.169.254 is link-local"):
        policy.check_url("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(UnsafeURLError, match="is private"):
        policy.check_url("http://10.0.0.1:8080/")
    with pytest.raises(UnsafeURLError, match="loopback"):
        policy.check_url("http://127.0.0.1/")


def test_allow_list_lets_loopback_in_but_nothing_else() -> None:
    policy = AddressPolicy(allow_list=parse_allow_list("127.0.0.1"))
    assert policy.check_url("http://127.0.0.1:8000/x") == ["127.0.0.1"]
    with pytest.raises(UnsafeURLError):
        policy.check_url("http://10.0.0.1/")
    with pytest.raises(UnsafeURLError):
        policy.check_url("http://127.0.0.2/")


def test_allow_private_setting() -> None:
    policy = AddressPolicy.from_settings({"ALLOW_PRIVATE_ADDRESSES": True})
    assert policy.check_url("http://10.0.0.1/") == ["10.0.0.1"]
    with pytest.raises(UnsafeURLError, match="multicast"):
        policy.check_url("http://224.0.0.1/")


def test_a_host_with_any_private_address_is_refused() -> None:
    def resolver(host: str, port: int) -> list[str]:
        assert (host, port) == ("news.example.org", 443)
        return ["93.184.216.34", "10.1.2.3"]

    with pytest.raises(UnsafeURLError, match="10.1.2.3 is private"):
        AddressPolicy(resolver=resolver).check_url("https://news.example.org/releases")


def test_public_host_name_passes_with_its_addresses() -> None:
    policy = AddressPolicy(resolver=lambda host, port: ["93.184.216.34"])
    assert policy.check_url("https://news.example.org/") == ["93.184.216.34"]


def test_unresolvable_host_and_bad_schemes() -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    policy = AddressPolicy(resolver=resolver)
    with pytest.raises(UnsafeURLError, match="cannot resolve"):
        policy.check_url("http://no-such-host.invalid/")
    for url in ("ftp://example.org/file", "file:///etc/passwd", "gopher://x/", "http:///nohost"):
        with pytest.raises(UnsafeURLError):
            policy.check_url(url)


def test_allow_list_parsing() -> None:
    assert parse_allow_list(None) == ()
    networks = parse_allow_list("127.0.0.1, 10.1.0.0/16")
    assert ipaddress.ip_address("10.1.200.3") in networks[1]
    assert parse_allow_list(["::1"])[0].version == 6
