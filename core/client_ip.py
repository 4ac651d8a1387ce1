"""The client's address, decided once for every rate limit of the site.

Every limiter (allauth's sign-in limits, django-ratelimit on the verification pages,
DRF's throttles and the bearer-token guard of the API) counts per client address
through ``client_ip``, so that one setting, ``TRUSTED_PROXY_COUNT``, says how far
``X-Forwarded-For`` may be believed:

- ``0`` (the default): the connecting address, ``REMOTE_ADDR``. ``X-Forwarded-For``
  is ignored, since any client can write it.
- ``N``: the N-th address from the right of ``X-Forwarded-For``, the one appended by
  the outermost of the N trusted proxies (each proxy appends the address it was
  called from). Addresses further left were written by the client and are never
  read.

A missing, short or garbled header falls back to ``REMOTE_ADDR`` (the nearest proxy,
which the client cannot choose), so a bad header never raises, and never lets the
client pick its own bucket.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

# Returned when not even REMOTE_ADDR is an address (a misconfigured server, e.g. a
# Unix socket without a proxy header): one shared bucket rather than an error.
UNKNOWN_CLIENT = "0.0.0.0"  # noqa: S104 (an identity, not an address to bind)


def client_ip(request) -> str:
    """The client's address for rate limits, as a normalised IP string."""
    meta = request.META
    remote = parse_ip(meta.get("REMOTE_ADDR", "")) or UNKNOWN_CLIENT
    proxies = trusted_proxy_count()
    if proxies <= 0:
        return remote
    hops = str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")
    if len(hops) < proxies:
        # Fewer hops than proxies: the request did not come through all of them.
        return remote
    return parse_ip(hops[-proxies]) or remote


def trusted_proxy_count() -> int:
    return getattr(settings, "TRUSTED_PROXY_COUNT", 0)


def parse_ip(value) -> str | None:
    """``value`` as a normalised IP address, or None. Accepts what proxies write:
    ``1.2.3.4``, ``1.2.3.4:5678``, ``2001:db8::1``, ``[2001:db8::1]:443``; an IPv4
    address mapped into IPv6 is given as IPv4."""
    text = str(value).strip()
    if text.startswith("["):
        text, bracket, _port = text[1:].partition("]")
        if not bracket:
            return None
    elif text.count(":") == 1:
        text = text.partition(":")[0]  # IPv4 with a port
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        if address.scope_id is not None:
            # A zone (fe80::1%eth0) names the proxy's interface, not the client.
            return str(ipaddress.IPv6Address(text.partition("%")[0]))
    return str(address)


class ClientIpThrottleMixin:
    """For DRF throttles: count anonymous callers by ``client_ip``, not by DRF's
    own reading of ``NUM_PROXIES``."""

    def get_ident(self, request) -> str:
        return client_ip(request)
