"""The account views: the language switch (Django's ``set_language``, which also
saves the choice on the account), the "Language" page under "My account", and the
profile page (names as printed on certificates, cadre, job title, language, and
links to the password and two-factor pages)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import i18n

from . import services
from .forms import ProfileForm


def set_language(request):
    """Django's ``set_language`` (the cookie, then ``next`` in the new language);
    a signed-in person's choice is saved on the account too."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    response = i18n.set_language(request)
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER)
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.save_language(request.user, language)
    return response


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=_(
            "The language of the portal, of the administration area and of every "
            "e-mail sent to you."
        ),
    )


def _in_language(url: str, chosen: str):
    """A redirect to ``url`` in the ``chosen`` language, with the language cookie
    set as the switch sets it."""
    response = redirect(translate_url(url, chosen))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        chosen,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@login_required
def language(request):
    """The account's language, saved, then this page again in that language."""
    if request.method == "POST":
        form = LanguageForm(request.POST)
        if form.is_valid():
            chosen = form.cleaned_data["language"]
            services.save_language(request.user, chosen)
            with translation.override(chosen):
                messages.success(request, gettext("Your language has been saved."))
            return _in_language(reverse("account_language"), chosen)
    else:
        form = LanguageForm(initial={"language": services.language_of(request.user)})
    return render(request, "accounts/language.html", {"form": form})


@login_required
def profile(request):
    """The signed-in person's profile. Names on no valid certificate change at once;
    names printed on one become a correction request (``services.change_names``).
    A refused change shows the form again with the reason and status 400."""
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    change = services.change_names(
                        user, data["full_name_en"], data["full_name_ar"], data["reason"]
                    )
                    user.cadre, user.job_title = data["cadre"], data["job_title"]
                    user.save(update_fields=["cadre", "job_title"])
            except services.NameChangeRefused as refusal:
                form.add_error(refusal.field, str(refusal))
            else:
                chosen = data["language"]
                services.save_language(user, chosen)
                with translation.override(chosen):
                    messages.success(request, _profile_saved_message(change))
                return _in_language(reverse("account_profile"), chosen)
        status = 400
    else:
        form = ProfileForm(
            initial={
                "full_name_en": user.full_name_en,
                "full_name_ar": user.full_name_ar,
                "cadre": user.cadre,
                "job_title": user.job_title,
                "language": services.language_of(user),
            }
        )
        status = 200
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "ministry": user.ministry,
            "pending_correction": services.pending_name_correction(user),
            "corrections": user.name_corrections.decided()[:10],
            "mfa_enabled": _mfa_enabled(user),
            "mfa_required": services.is_staff_member(user)
            and settings.TADREEB_REQUIRE_STAFF_MFA,
        },
        status=status,
    )


def _profile_saved_message(change: services.NameChange) -> str:
    if change.outcome == "requested":
        return gettext(
            "Your profile has been saved. Your name is printed on a valid "
            "certificate, so the correction has been sent for approval; you will "
            "be told the decision here and by e-mail."
        )
    return gettext("Your profile has been saved.")


def _mfa_enabled(user) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user)
