"""A new officer signs up, verifies the address from the mail, signs in and out;
a staff member is sent to MFA set-up before the admin opens."""

import re

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from playwright.sync_api import expect

from accounts import roles
from accounts.models import User
from tests.factories import TEST_PASSWORD, UserFactory

PASSWORD = "a-long-and-unusual-passphrase"  # noqa: S105


def sign_up(page, email, name_en, name_ar, cadre):
    """Fill in and send the sign-up form as an officer would."""
    page.get_by_label("Official e-mail address").fill(email)
    page.get_by_label("Full name in English").fill(name_en)
    page.get_by_label("Full name in Arabic").fill(name_ar)
    page.get_by_label("Your role").select_option(cadre)
    page.get_by_label("Gender").select_option("female")
    page.get_by_label("Job title").fill("Investigator")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officer_signs_up_verifies_signs_in_and_out(
    page, live_server, moi, home_page, mailoutbox
):
    page.goto("/")
    page.get_by_role("link", name="Sign up", exact=True).click()

    sign_up(page, "layla@moi.gov.kw", "Layla Al-Qattan", "ليلى القطان", "police")

    expect(
        page.get_by_role("heading", name="Verify Your Email Address")
    ).to_be_visible()
    assert User.objects.get(email="layla@moi.gov.kw").ministry == moi

    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body)
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()

    page.get_by_label("Email").fill("layla@moi.gov.kw")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()
    expect(page.locator("footer")).to_contain_text("25589696")

    sign_out.click()
    expect(page.get_by_role("link", name="Sign in", exact=True).first).to_be_visible()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_unknown_domain_is_told_why_in_the_browser(page, moi, home_page):
    page.goto("/accounts/signup/")
    sign_up(page, "someone@gmail.com", "Some One", "شخص ما", "other")

    expect(
        page.get_by_text("@gmail.com does not belong to any of them")
    ).to_be_visible()
    expect(page.get_by_label("Full name in English")).to_have_value("Some One")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_is_sent_to_mfa_setup_before_the_admin(page, settings, moi, home_page):
    settings.TADREEB_REQUIRE_STAFF_MFA = True
    trainer = UserFactory(ministry=moi, email="trainer@moi.gov.kw", role=roles.TRAINERS)

    page.goto("/admin/")
    page.get_by_label("Email").fill(trainer.email)
    page.get_by_label("Password:", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    # allauth asks for the password again before security settings change.
    expect(
        page.get_by_text("Staff accounts must use two-factor authentication")
    ).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Password:", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))

    secret = page.locator("#authenticator_secret").input_value()
    counter = next(iter(yield_hotp_counters_from_time()))
    page.get_by_label("Authenticator code").fill(
        format_hotp_value(hotp_value(secret, counter))
    )
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("Authenticator app activated.")).to_be_visible()

    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page).to_have_title(re.compile(r"^Dashboard"))
