"""Staff sessions pass the second factor before anything else.

When staff MFA is required (``TADREEB_REQUIRE_STAFF_MFA``), a staff member's session
that has not passed the authenticator step is not a staff session: on every route
(the admin and its exports, certificate downloads, the API, the site) it is sent to
set up an authenticator or to enter a code, and only the sign-in, sign-out and
account pages stay open. The rule itself is ``services.second_factor_owed``.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services

# What a session that owes its second factor may still open.
OPEN_PREFIXES = ("/accounts/", "/admin/logout/", "/healthz/", "/i18n/")


class StaffMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.open_prefixes = tuple(
            prefix
            for prefix in (*OPEN_PREFIXES, settings.STATIC_URL, settings.MEDIA_URL)
            if prefix
        )

    def __call__(self, request):
        if request.path.startswith(self.open_prefixes):
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
