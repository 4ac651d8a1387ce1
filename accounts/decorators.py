"""View decorators for the rules in ``services`` that views apply at the door."""

from functools import wraps

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import services

REFUSAL = _(
    "Confirm your e-mail address first: open the link that was sent to your "
    "official address."
)


def verified_account_required(view):
    """Only accounts with a confirmed address act: an authenticated session of an
    account whose address is not verified is refused with 403 and told what to do.
    Anonymous visitors pass through to the view, which sends them to sign in in its
    own way.

    allauth's ``verified_email_required`` answers such requests with 200 and sends
    a new confirmation e-mail at each refused click; a refusal here is a 403, and
    the page links to the e-mail settings where the person asks for a new link."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not services.has_verified_email(user):
            if request.content_type == "application/json":
                return JsonResponse({"error": str(REFUSAL)}, status=403)
            return render(request, "accounts/verify_email_first.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
