"""Sign-up is for officers of active ministries, placed by their e-mail domain."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Cadre, Gender
from tests.factories import MinistryFactory

User = get_user_model()
PASSWORD = "a-long-and-unusual-passphrase"  # noqa: S105


def signup_data(email, **overrides):
    data = {
        "email": email,
        "full_name_en": "Aisha Al-Fadhli",
        "full_name_ar": "عائشة الفضلي",
        "cadre": Cadre.LABOUR_INSPECTOR,
        "gender": Gender.FEMALE,
        "job_title": "Labour inspector",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_signup_with_ministry_domain_places_officer_in_that_ministry(
    client, moi, site_settings, mailoutbox
):
    response = client.post(reverse("account_signup"), signup_data("Aisha@MOI.gov.kw"))

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="aisha@moi.gov.kw")
    assert user.ministry == moi
    assert user.full_name_en == "Aisha Al-Fadhli"
    assert user.full_name_ar == "عائشة الفضلي"
    assert user.cadre == Cadre.LABOUR_INSPECTOR
    assert user.gender == Gender.FEMALE
    assert user.job_title == "Labour inspector"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["aisha@moi.gov.kw"]


@pytest.mark.django_db
def test_signup_with_unknown_domain_is_refused_with_whom_to_contact(
    client, moi, site_settings
):
    response = client.post(reverse("account_signup"), signup_data("someone@gmail.com"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "@gmail.com does not belong to any of them" in body
    assert "support@tadreeb.example" in body
    assert not User.objects.filter(email="someone@gmail.com").exists()


@pytest.mark.django_db
def test_signup_for_inactive_ministry_is_refused_naming_the_ministry(
    client, site_settings
):
    MinistryFactory(
        code="MOINF",
        name_en="Ministry of Information",
        is_active=False,
        domains=["media.gov.kw"],
    )

    response = client.post(reverse("account_signup"), signup_data("a@media.gov.kw"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Sign-up for officers of Ministry of Information is closed" in body
    assert not User.objects.filter(email="a@media.gov.kw").exists()


@pytest.mark.django_db
def test_refusal_names_the_ministry_contact_when_it_has_one(client, site_settings):
    MinistryFactory(
        code="PP",
        name_en="Public Prosecution",
        is_active=False,
        contact_email="training@pp.gov.kw",
        domains=["pp.gov.kw"],
    )

    response = client.post(reverse("account_signup"), signup_data("x@pp.gov.kw"))

    assert "training@pp.gov.kw" in response.content.decode()


@pytest.mark.django_db
def test_open_signup_lets_other_domains_in_with_no_ministry(
    client, moi, site_settings, settings
):
    settings.TADREEB_OPEN_SIGNUP = True

    response = client.post(reverse("account_signup"), signup_data("guest@ngo.org"))

    assert response.status_code == 302
    assert User.objects.get(email="guest@ngo.org").ministry is None


@pytest.mark.django_db
def test_open_signup_still_places_ministry_addresses_in_their_ministry(
    client, moi, site_settings, settings
):
    settings.TADREEB_OPEN_SIGNUP = True

    client.post(reverse("account_signup"), signup_data("new@moi.gov.kw"))

    assert User.objects.get(email="new@moi.gov.kw").ministry == moi


@pytest.mark.django_db
def test_signup_asks_for_both_names_cadre_gender_and_job_title(client, moi):
    response = client.post(
        reverse("account_signup"),
        signup_data(
            "b@moi.gov.kw", full_name_en="", full_name_ar="", cadre="", job_title=""
        ),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"full_name_en", "full_name_ar", "cadre", "job_title"}
    assert not User.objects.filter(email="b@moi.gov.kw").exists()


@pytest.mark.django_db
def test_arabic_name_must_be_written_in_arabic_letters(client, moi):
    response = client.post(
        reverse("account_signup"),
        signup_data("c@moi.gov.kw", full_name_ar="Aisha Al-Fadhli"),
    )

    assert "Please write your name in Arabic letters." in response.content.decode()


@pytest.mark.django_db
def test_sign_in_is_refused_until_the_address_is_verified(client, moi):
    client.post(reverse("account_signup"), signup_data("d@moi.gov.kw"))

    response = client.post(
        reverse("account_login"), {"login": "d@moi.gov.kw", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_verification_link_lets_the_officer_sign_in(client, moi, mailoutbox):
    client.post(reverse("account_signup"), signup_data("e@moi.gov.kw"))
    link = re.search(
        r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mailoutbox[0].body
    )
    assert link, mailoutbox[0].body
    path = "/" + link.group(0).split("/", 3)[3]

    confirm = client.post(path)
    login = client.post(
        reverse("account_login"), {"login": "e@moi.gov.kw", "password": PASSWORD}
    )

    assert confirm.status_code == 302
    assert login.status_code == 302
    assert (
        int(client.session["_auth_user_id"])
        == User.objects.get(email="e@moi.gov.kw").pk
    )


@pytest.mark.django_db
def test_same_address_in_other_case_cannot_sign_up_twice(client, officer):
    client.post(reverse("account_signup"), signup_data("OFFICER@moi.gov.kw"))

    assert User.objects.filter(email__iexact="officer@moi.gov.kw").count() == 1


@pytest.mark.django_db
def test_repeated_failed_sign_ins_lock_the_account_for_a_while(client, officer):
    for _ in range(5):
        client.post(
            reverse("account_login"),
            {"login": officer.email, "password": "wrong-guess"},
        )

    response = client.post(
        reverse("account_login"),
        {"login": officer.email, "password": "correct-horse-battery-staple"},
    )

    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_too_many_sign_ups_from_one_address_get_a_clear_429_page(client, moi):
    for n in range(20):
        client.post(reverse("account_signup"), signup_data(f"x{n}@gmail.com"))

    response = client.post(reverse("account_signup"), signup_data("y@moi.gov.kw"))

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
