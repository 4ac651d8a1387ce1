"""What may be stored as an officer's address and names: an address that fits, and
names without invisible characters that change how a certificate displays them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.admin.panels import get_edit_handler

from accounts.models import Ministry, User
from accounts.validators import validate_name_characters
from certificates.models import CertificateTemplate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# 261 characters, the longest the review tried; the column holds 254.
LONG_EMAIL = "a" * (261 - len("@moi.gov.kw")) + "@moi.gov.kw"
# RIGHT-TO-LEFT OVERRIDE: "Ali" followed by text that displays reversed.
OVERRIDE_NAME = "Ali \u202enosaM"
HIDDEN = [
    "\u202a",  # LEFT-TO-RIGHT EMBEDDING
    "\u202b",  # RIGHT-TO-LEFT EMBEDDING
    "\u202c",  # POP DIRECTIONAL FORMATTING
    "\u202d",  # LEFT-TO-RIGHT OVERRIDE
    "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "\u2066",  # LEFT-TO-RIGHT ISOLATE
    "\u2067",  # RIGHT-TO-LEFT ISOLATE
    "\u2068",  # FIRST STRONG ISOLATE
    "\u2069",  # POP DIRECTIONAL ISOLATE
    "\u200e",  # LEFT-TO-RIGHT MARK
    "\u200f",  # RIGHT-TO-LEFT MARK
    "\u061c",  # ARABIC LETTER MARK
    "\x1b",  # ESCAPE, a control character
]
NAME_MESSAGE = "invisible character"
PASSWORD = "a-long-and-unusual-passphrase"  # noqa: S105


def signup_data(email, **overrides):
    data = {
        "email": email,
        "full_name_en": "Aisha Al-Fadhli",
        "full_name_ar": "عائشة الفضلي",
        "cadre": "labour_inspector",
        "gender": "female",
        "job_title": "Labour inspector",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(client, moi):
    client.force_login(UserFactory(ministry=moi, is_superuser=True))
    return client


def admin_user_data(moi, **overrides):
    data = {
        "email": "new.officer@moi.gov.kw",
        "full_name_en": "New Officer",
        "full_name_ar": "ضابط جديد",
        "ministry": moi.pk,
        "cadre": "police",
        "gender": "male",
        "job_title": "Patrol officer",
        "employee_number": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


# The validator


@pytest.mark.parametrize("char", HIDDEN, ids=lambda c: f"U+{ord(c):04X}")
def test_validator_refuses_each_hidden_character(char):
    with pytest.raises(ValidationError, match=f"U\\+{ord(char):04X}"):
        validate_name_characters(f"Aisha{char} Al-Fadhli")


@pytest.mark.parametrize(
    "name", ["Aisha Al-Fadhli", "عائشة الفضلي", "Anne-Marie O'Neil", "José Ñúñez"]
)
def test_validator_accepts_names_in_either_script(name):
    validate_name_characters(name)


# Sign-up


def test_signup_with_an_address_too_long_to_store_is_refused(client, moi):
    response = client.post(reverse("account_signup"), signup_data(LONG_EMAIL))

    assert response.status_code == 200
    assert "at most 254 characters" in response.context["form"].errors["email"][0]
    assert not User.objects.filter(email__startswith="aaaa").exists()


@pytest.mark.parametrize("field", ["full_name_en", "full_name_ar", "job_title"])
def test_signup_refuses_a_direction_override_in_a_name(client, moi, field):
    value = {"full_name_ar": "عائشة \u202eالفضلي"}.get(field, OVERRIDE_NAME)

    response = client.post(
        reverse("account_signup"), signup_data("d@moi.gov.kw", **{field: value})
    )

    assert response.status_code == 200
    assert NAME_MESSAGE in response.context["form"].errors[field][0]
    assert not User.objects.filter(email="d@moi.gov.kw").exists()


# Settings > Users


def test_admin_cannot_create_an_account_with_an_address_too_long_to_store(
    admin_client, moi
):
    response = admin_client.post(
        reverse("wagtailusers_users:add"), admin_user_data(moi, email=LONG_EMAIL)
    )

    assert response.status_code == 200
    assert "at most 254 characters" in response.context["form"].errors["email"][0]
    assert not User.objects.filter(email__startswith="aaaa").exists()


@pytest.mark.parametrize("field", ["full_name_en", "full_name_ar", "job_title"])
def test_admin_cannot_create_an_account_with_a_direction_override(
    admin_client, moi, field
):
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        admin_user_data(moi, **{field: OVERRIDE_NAME}),
    )

    assert response.status_code == 200
    assert NAME_MESSAGE in response.context["form"].errors[field][0]
    assert not User.objects.filter(email="new.officer@moi.gov.kw").exists()


def test_admin_cannot_edit_a_name_to_hold_a_direction_override(
    admin_client, moi, officer
):
    data = admin_user_data(
        moi,
        email=officer.email,
        full_name_en=OVERRIDE_NAME,
        is_active="on",
        password1="",
        password2="",
    )

    response = admin_client.post(
        reverse("wagtailusers_users:edit", args=[officer.pk]), data
    )

    assert response.status_code == 200
    assert NAME_MESSAGE in response.context["form"].errors["full_name_en"][0]
    officer.refresh_from_db()
    assert officer.full_name_en != OVERRIDE_NAME


# Other forms that edit a name printed on certificates


def test_ministry_form_refuses_a_direction_override_in_its_name(admin_client):
    response = admin_client.post(
        reverse("ministries:add"),
        {
            "code": "MOH",
            "name_en": "Ministry of \u202eHealth",
            "name_ar": "وزارة الصحة",
            "is_active": "on",
            "contact_email": "",
            "email_domains-TOTAL_FORMS": "1",
            "email_domains-INITIAL_FORMS": "0",
            "email_domains-MIN_NUM_FORMS": "1",
            "email_domains-MAX_NUM_FORMS": "1000",
            "email_domains-0-domain": "moh.gov.kw",
            "email_domains-0-id": "",
        },
    )

    assert response.status_code == 200
    assert NAME_MESSAGE in response.context["form"].errors["name_en"][0]
    assert not Ministry.objects.filter(code="MOH").exists()


@pytest.mark.parametrize("field", ["name_en", "title_en", "name_ar", "title_ar"])
def test_certificate_signatory_form_refuses_a_direction_override(field):
    design_form = get_edit_handler(CertificateTemplate).get_form_class()()
    signatory_form_class = design_form.formsets["signatories"].form
    data = {
        "name_en": "Dr Aisha Al-Fadhli",
        "title_en": "Chair",
        "name_ar": "د. عائشة الفضلي",
        "title_ar": "الرئيسة",
        field: OVERRIDE_NAME,
    }

    form = signatory_form_class(data)

    assert not form.is_valid()
    assert NAME_MESSAGE in form.errors[field][0]
