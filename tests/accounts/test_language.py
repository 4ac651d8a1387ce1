"""The account's language: saved at sign-up and by the switch, the same as the
admin's preference, and the language of allauth's e-mails."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.users.models import UserProfile

from accounts import services
from tests.accounts.test_signup import signup_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["ar", "en"])
def test_signup_saves_the_language_the_person_signed_up_in(
    client, moi, site_settings, mailoutbox, language
):
    with translation.override(language):
        signup_url = reverse("account_signup")

    client.post(signup_url, signup_data("aisha@moi.gov.kw"))

    user = services.User.objects.get(email="aisha@moi.gov.kw")
    assert user.language == language
    # The confirmation e-mail is in that language, its link under that prefix.
    with translation.override(language):
        subject = gettext("Please Confirm Your Email Address")
    assert subject in mailoutbox[0].subject
    assert f"/{language}/accounts/confirm-email/" in mailoutbox[0].body


def test_password_reset_mail_is_in_the_accounts_language_whatever_the_page(
    client, moi, mailoutbox
):
    UserFactory(ministry=moi, email="arabic@moi.gov.kw", language="ar")

    client.post("/en/accounts/password/reset/", {"email": "arabic@moi.gov.kw"})

    assert len(mailoutbox) == 1
    assert "رسالة إعادة ضبط كلمة المرور" in mailoutbox[0].subject
    assert re.search(r"/ar/accounts/password/reset/key/\S+", mailoutbox[0].body)


def test_password_reset_mail_without_a_saved_language_follows_the_page(
    client, moi, mailoutbox
):
    UserFactory(ministry=moi, email="nochoice@moi.gov.kw")

    client.post("/en/accounts/password/reset/", {"email": "nochoice@moi.gov.kw"})

    assert "Password Reset Email" in mailoutbox[0].subject
    assert "/en/accounts/password/reset/key/" in mailoutbox[0].body


# --- One truth with the admin's preference ----------------------------------------


def test_the_admin_preference_follows_the_account(moi):
    user = UserFactory(ministry=moi, email="staff@moi.gov.kw", is_superuser=True)
    profile = UserProfile.get_for_user(user)
    assert profile.preferred_language == ""

    services.save_language(user, "en")

    profile.refresh_from_db()
    assert profile.preferred_language == "en"


def test_a_new_admin_profile_starts_from_the_account(moi):
    user = UserFactory(ministry=moi, email="staff@moi.gov.kw", language="ar")

    assert UserProfile.get_for_user(user).preferred_language == "ar"


def test_the_account_follows_the_admin_preference(moi):
    from wagtail.admin.forms.account import LocalePreferencesForm

    user = UserFactory(ministry=moi, email="staff@moi.gov.kw", language="ar")
    profile = UserProfile.get_for_user(user)

    # What Account > Preferences saves.
    form = LocalePreferencesForm(
        {"preferred_language": "en", "current_time_zone": ""}, instance=profile
    )
    assert form.is_valid(), form.errors
    form.save()

    user.refresh_from_db()
    assert user.language == "en"
    # The admin offers the site's two languages, no others.
    offered = {code for code, _name in form.fields["preferred_language"].choices}
    assert offered - {""} == {"ar", "en"}


def test_the_admin_reads_the_accounts_language_right_to_left(client, moi):
    user = UserFactory(
        ministry=moi, email="staff@moi.gov.kw", is_superuser=True, language="ar"
    )
    client.force_login(user)

    content = client.get("/admin/", headers={"accept_language": "en"}).content
    assert re.search(rb'<html[^>]*lang="ar"[^>]*dir="rtl"', content)

    services.save_language(user, "en")
    content = client.get("/admin/").content
    assert re.search(rb'<html[^>]*lang="en"[^>]*dir="ltr"', content)
