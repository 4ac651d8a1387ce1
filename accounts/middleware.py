"""The language of each request, and staff sessions that pass the second factor
before anything else.

``LanguageMiddleware`` replaces Django's ``LocaleMiddleware`` (one middleware, one
rule: ``services.language_for_request``). It sits after ``AuthenticationMiddleware``
so that the rule can read the signed-in person's saved language.

Staff sessions pass the second factor before anything else.

When staff MFA is required (``TADREEB_REQUIRE_STAFF_MFA``), a staff member's session
that has not passed the authenticator step is not a staff session: on every route
(the admin and its exports, certificate downloads, the API, the site) it is sent to
set up an authenticator or to enter a code, and only the sign-in, sign-out and
account pages stay open. The rule itself is ``services.second_factor_owed``.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from . import services

# What a session that owes its second factor may still open.
OPEN_PREFIXES = ("/accounts/", "/admin/logout/", "/healthz/", "/i18n/")


class LanguageMiddleware(LocaleMiddleware):
    """Activate the request's language (``services.language_for_request``) and send
    unprefixed public URLs to the same path under it, as Django's
    ``LocaleMiddleware`` does for ``i18n_patterns`` (a 302 that keeps the query
    string; only for paths that resolve under the prefix and not without it). A
    request other than GET or HEAD is sent on with a 307, so that the browser
    repeats it, body and all, at the prefixed URL: no form posted to an old
    address loses its data."""

    def process_request(self, request):
        language = services.language_for_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    #: Routes that have no language prefix: a missing page there is a plain 404
    #: (``/admin`` gets its slash from CommonMiddleware, not a trip to /ar/admin/).
    UNPREFIXED = ("/admin/", "/api/", "/healthz/", "/documents/", "/i18n/")

    def _unprefixed(self, path: str) -> bool:
        prefixes = [*self.UNPREFIXED, settings.STATIC_URL, settings.MEDIA_URL]
        return any(
            path.startswith(prefix) or path == prefix.rstrip("/")
            for prefix in prefixes
            if prefix and prefix.startswith("/")
        )

    def process_response(self, request, response):
        if self._unprefixed(request.path_info):
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        answer = super().process_response(request, response)
        if answer is not response and request.method not in ("GET", "HEAD"):
            repeat = HttpResponseRedirect(answer["Location"], status=307)
            patch_vary_headers(repeat, ("Accept-Language", "Cookie"))
            return repeat
        return answer


def _without_language_prefix(path: str) -> str:
    language = translation.get_language_from_path(path)
    if language:
        return path[len(language) + 1 :]
    return path


class StaffMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.open_prefixes = tuple(
            prefix
            for prefix in (*OPEN_PREFIXES, settings.STATIC_URL, settings.MEDIA_URL)
            if prefix
        )

    def __call__(self, request):
        if _without_language_prefix(request.path).startswith(self.open_prefixes):
            return self.get_response(request)
        owed = services.second_factor_owed(request)
        if owed is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": _(
                        "Staff accounts must use two-factor authentication: sign "
                        "in with your authenticator code first."
                    )
                },
                status=403,
            )
        if owed == services.SecondFactor.SET_UP:
            messages.warning(
                request,
                _(
                    "Staff accounts must use two-factor authentication. Set up an "
                    "authenticator app to open the administration area."
                ),
            )
            return redirect("mfa_activate_totp")
        messages.info(
            request,
            _(
                "Staff accounts must use two-factor authentication. Enter the code "
                "from your authenticator app to continue."
            ),
        )
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
