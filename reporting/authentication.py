"""Who is calling the REST API, what it may see, and how often it may ask.

- ``ApiTokenAuthentication``: ``Authorization: Bearer tdrb_…``, a ministry's (or the
  national committee's) API token, checked by ``accounts.services``.
- Signed-in staff use their browser session (DRF's ``SessionAuthentication``).
- ``HasReportingScope`` resolves the caller's ``Scope`` once per request and
  refuses callers who may see nothing.
- ``StatsApiThrottle`` counts requests per token or per user (scope ``stats_api``).
- A client address presenting more than ``FAILED_TOKENS_PER_MINUTE`` refused tokens
  gets 429 for further refused tokens (counted by django-ratelimit: DRF's throttles
  run only after authentication); its valid tokens are still served.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from accounts import access
from accounts import services as account_services
from accounts.access import Scope
from accounts.models import ApiToken
from core.client_ip import ClientIpThrottleMixin, client_ip

BEARER = b"bearer"
# Refused tokens a client address may present in a minute before further refused
# tokens are answered 429 (DRF's throttles run only after authentication, so they
# would not count these). A valid token is always checked and served: behind a NAT
# or a load balancer one misconfigured client must not lock out its neighbours.
FAILED_TOKENS_PER_MINUTE = 20


class ApiTokenUser:
    """Stands for the system holding an API token as ``request.user``: it is
    authenticated, but it is nobody and holds no Django permission."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, token: ApiToken):
        self.token = token

    def __str__(self) -> str:
        return f"API token {self.token.prefix}"

    def get_username(self) -> str:
        return ""

    def has_perm(self, perm, obj=None) -> bool:
        return False


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>``. A request without a bearer token is left
    to the next authentication class; a bad one is refused with 401."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != BEARER:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("The Authorization header must read 'Bearer <token>'.")
            )
        try:
            plaintext = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Malformed API token.")) from exc
        try:
            # Looked up even when this address is throttled: the one indexed query
            # on the token's prefix is cheap, and a valid token must be served.
            token = account_services.authenticate_api_token(plaintext)
        except account_services.InvalidApiToken as exc:
            _count_refusal(request)
            raise exceptions.AuthenticationFailed(exc.message) from exc
        return ApiTokenUser(token), token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


def _count_refusal(request) -> None:
    """Count a refused token against the client's address (``core.client_ip``, each
    address on its own) with django-ratelimit, as the verification pages are; beyond
    the limit, answer 429 instead of 401 until the minute ends."""
    usage = get_usage(
        request,
        group="api-token-failures",
        key=_client_address,
        rate=f"{FAILED_TOKENS_PER_MINUTE}/m",
        increment=True,
    )
    if usage is not None and usage["should_limit"]:
        raise exceptions.Throttled(wait=max(usage["time_left"], 1))


def _client_address(group, request) -> str:
    return client_ip(request)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the bearer token in the OpenAPI schema."""

    target_class = "reporting.authentication.ApiTokenAuthentication"
    name = "ministryApiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "A ministry API token (tdrb_…), made by a focal point in the "
                    "admin or with `manage.py create_api_token`."
                )
            ),
        }


def reporting_scope(request) -> Scope:
    """The caller's scope, computed once per request."""
    cached = getattr(request, "_reporting_scope", None)
    if cached is not None:
        return cached
    if isinstance(request.auth, ApiToken):
        scope = access.scope_for_token(request.auth)
    else:
        scope = access.scope_for_user(request.user)
        if not scope.is_empty and account_services.second_factor_owed(request):
            # A staff session that has not passed the authenticator step is not a
            # staff session (the middleware refuses it first; this holds anyway).
            scope = Scope.nothing()
    request._reporting_scope = scope
    return scope


class HasReportingScope(BasePermission):
    """Staff with a reporting role (trainers, focal points, the committee,
    superusers) and usable API tokens; anyone else is refused."""

    message = _("You do not have access to training statistics.")

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False  # DRF answers 401 with the authentication header
        return not reporting_scope(request).is_empty


class MaySeeOfficerRecords(HasReportingScope):
    """Officer-level records: focal points, the committee, superusers and tokens;
    trainers see aggregates only."""

    message = _("Your role shows aggregate statistics only, not officer records.")

    def has_permission(self, request, view):
        return (
            super().has_permission(request, view)
            and reporting_scope(request).officer_records
        )


class StatsApiThrottle(ClientIpThrottleMixin, SimpleRateThrottle):
    """Requests per token (or per signed-in user), rate ``stats_api`` from
    ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``."""

    scope = "stats_api"

    def get_rate(self):
        # Read at each request, not at import, so that settings overrides apply.
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as exc:
            raise ImproperlyConfigured(
                f"No default throttle rate set for {self.scope!r} scope"
            ) from exc

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
