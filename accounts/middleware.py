"""Staff must set up two-factor authentication before the Wagtail admin opens."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services


class StaffMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(reverse("wagtailadmin_home")) and (
            services.must_set_up_mfa(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Staff accounts must use two-factor authentication. Set up an "
                    "authenticator app to open the administration area."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
