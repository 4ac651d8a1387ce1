"""``client_ip`` believes X-Forwarded-For only as far as TRUSTED_PROXY_COUNT says,
never fails on a bad header, and always answers an IP address."""

import ipaddress
from types import SimpleNamespace

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from core.client_ip import UNKNOWN_CLIENT, client_ip, parse_ip

ips = st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6)).map(str)
# Anything a client may write in the header: text, commas, spaces, addresses.
header_text = st.one_of(
    st.text(),
    st.lists(st.one_of(ips, st.text(max_size=12)), max_size=6).map(", ".join),
)
proxy_counts = st.integers(min_value=0, max_value=4)


def request(remote_addr="192.0.2.10", forwarded_for=None):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return SimpleNamespace(META=meta)


def client_ip_behind(count, remote_addr="192.0.2.10", forwarded_for=None) -> str:
    with override_settings(TRUSTED_PROXY_COUNT=count):
        return client_ip(request(remote_addr, forwarded_for))


@given(remote=ips, header=header_text)
def test_without_proxies_the_header_is_ignored(remote, header):
    assert client_ip_behind(0, remote, header) == parse_ip(remote)


@given(count=proxy_counts, remote=st.text(), header=st.one_of(st.none(), header_text))
def test_any_header_gives_an_ip_address_and_never_an_error(count, remote, header):
    ipaddress.ip_address(client_ip_behind(count, remote, header))


@given(
    count=st.integers(min_value=1, max_value=4),
    client_written=header_text,
    appended=st.lists(ips, min_size=4, max_size=4),
    remote=ips,
)
def test_the_address_appended_by_the_outermost_trusted_proxy_is_used(
    count, client_written, appended, remote
):
    # Whatever the client wrote sits to the left of what the proxies appended.
    trusted = appended[-count:]
    header = ", ".join([client_written, *trusted])

    assert client_ip_behind(count, remote, header) == parse_ip(trusted[0])


@given(
    count=st.integers(min_value=2, max_value=4),
    data=st.data(),
    remote=ips,
)
def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_connection(
    count, data, remote
):
    hops = data.draw(st.lists(ips, min_size=1, max_size=count - 1))

    assert client_ip_behind(count, remote, ", ".join(hops)) == parse_ip(remote)


def test_a_missing_header_falls_back_to_the_connection():
    assert client_ip_behind(1, "192.0.2.10") == "192.0.2.10"


def test_a_garbled_trusted_hop_falls_back_to_the_connection():
    assert client_ip_behind(1, "192.0.2.10", "198.51.100.7, not-an-ip") == (
        "192.0.2.10"
    )


def test_two_hops_with_one_trusted_proxy_give_the_rightmost():
    assert client_ip_behind(1, "10.0.0.1", "203.0.113.9, 198.51.100.7") == (
        "198.51.100.7"
    )


def test_no_usable_address_at_all_gives_one_shared_placeholder():
    assert client_ip_behind(0, "") == UNKNOWN_CLIENT


@pytest.mark.parametrize(
    ("written", "address"),
    [
        ("198.51.100.7:51234", "198.51.100.7"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        (" 2001:DB8:0::1 ", "2001:db8::1"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("fe80::1%eth0", "fe80::1"),
        ("[2001:db8::1", None),
        ("unknown", None),
        ("", None),
    ],
)
def test_addresses_are_read_as_proxies_write_them(written, address):
    assert parse_ip(written) == address
