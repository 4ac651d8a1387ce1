"""The language views: the switch (Django's ``set_language``, which also saves the
choice on the account) and the "Language" page under "My account"."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import i18n

from . import services


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


@login_required
def language(request):
    """The account's language, saved, then this page again in that language."""
    if request.method == "POST":
        form = LanguageForm(request.POST)
        if form.is_valid():
            chosen = form.cleaned_data["language"]
            services.save_language(request.user, chosen)
            response = redirect(translate_url(reverse("account_language"), chosen))
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
            with translation.override(chosen):
                messages.success(request, gettext("Your language has been saved."))
            return response
    else:
        form = LanguageForm(initial={"language": services.language_of(request.user)})
    return render(request, "accounts/language.html", {"form": form})
