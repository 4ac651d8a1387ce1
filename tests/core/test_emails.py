# ruff: noqa: F811 - the reporting fixtures are imported by name
"""Every e-mail the portal sends: the portal's name from the site settings, a
plain-text and an HTML part, the recipient's language (``core.emails``)."""

import re

import pytest
from django.core import mail

from core import emails
from core.models import OutboundEmail
from tests.emails import PORTAL, QUEUED, html_of
from tests.factories import UserFactory
from tests.reporting.test_assignments import assign, in_days, people  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(site_settings):
    site_settings.organisation_name = PORTAL
    site_settings.save()
    return site_settings


def reset_password(client, email):
    client.post("/en/accounts/password/reset/", {"email": email})
    assert len(mail.outbox) == 1
    return mail.outbox[0]


# --- allauth's e-mails -------------------------------------------------------------


def test_password_reset_email_names_the_portal_not_the_host(client, moi, portal):
    UserFactory(ministry=moi, email="reader@moi.gov.kw", language="en")

    message = reset_password(client, "reader@moi.gov.kw")

    assert message.subject.startswith(f"[{PORTAL}] ")
    assert "Hello from" not in message.body
    assert "127.0.0.1" not in message.body and "example.com" not in message.body
    assert PORTAL in message.body
    assert message.from_email.startswith(f"{PORTAL} <")


def test_password_reset_email_has_an_html_part_with_the_link(client, moi, portal):
    UserFactory(ministry=moi, email="reader@moi.gov.kw", language="en")

    message = reset_password(client, "reader@moi.gov.kw")
    html = html_of(message)

    link = re.search(r"http://testserver/en/accounts/password/reset/key/\S+/", html)
    assert link and link.group(0) in message.body
    assert '<html lang="en" dir="ltr">' in html
    assert PORTAL in html


def test_password_reset_email_to_an_arabic_reader_is_arabic_right_to_left(
    client, moi, portal
):
    UserFactory(
        ministry=moi, email="arabic@moi.gov.kw", language="ar", full_name_ar="مريم"
    )

    message = reset_password(client, "arabic@moi.gov.kw")
    html = html_of(message)

    assert '<html lang="ar" dir="rtl">' in html
    assert "حضرة مريم" in message.body  # the catalogue's greeting, in Arabic
    assert "/ar/accounts/password/reset/key/" in html
    assert message.subject.startswith(f"[{PORTAL}] ")


def test_notice_without_its_own_html_template_gets_the_portals_frame(moi, portal):
    user = UserFactory(ministry=moi, email="reader@moi.gov.kw", language="en")

    sent = emails.send_templated_email(
        user,
        "account/email/password_changed",
        {"ip": "10.0.0.1", "user_agent": "Firefox", "timestamp": "today"},
    )

    assert sent == 1
    message = mail.outbox[0]
    html = html_of(message)
    assert "Your password has been changed." in message.body
    assert "Your password has been changed." in html
    assert PORTAL in html and '<html lang="en" dir="ltr">' in html
    # The greeting and signature once, from the frame, not from the text part.
    assert html.count("Dear ") == 1


# --- Our own e-mails --------------------------------------------------------------


def test_assignment_email_has_both_parts_and_the_portals_name(
    people, course, moi, portal, django_capture_on_commit_callbacks
):
    people["police1"].language = "en"
    people["police1"].save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assign(people, course, moi, message="Required for all investigators.")

    message = next(m for m in mail.outbox if m.to == ["ahmad@moi.gov.kw"])
    html = html_of(message)
    assert message.subject.startswith(f"[{PORTAL}] ")
    assert course.title in message.subject
    assert f'href="http://testserver{course.url}"' in html
    assert "Required for all investigators." in html
    assert "Dear Ahmad Police," in message.body


def test_assignment_email_to_an_arabic_reader_is_right_to_left(
    people, course, moi, portal, django_capture_on_commit_callbacks
):
    people["police1"].language = "ar"
    people["police1"].save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assign(people, course, moi, due_date=in_days(20))

    message = next(m for m in mail.outbox if m.to == ["ahmad@moi.gov.kw"])
    assert '<html lang="ar" dir="rtl">' in html_of(message)
    assert "حضرة" in message.body


@QUEUED
def test_a_message_with_a_key_is_sent_once_however_often_it_is_sent(
    moi, portal, django_capture_on_commit_callbacks
):
    user = UserFactory(ministry=moi, email="reader@moi.gov.kw", language="en")

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            emails.send_templated_email(
                user,
                "account/email/password_changed",
                {"ip": "10.0.0.1", "user_agent": "Firefox", "timestamp": "today"},
                idempotency_key="test:password-changed",
            )

    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].alternatives  # the HTML part survives the outbox


def test_a_message_needs_an_address(portal):
    with pytest.raises(ValueError, match="recipient"):
        emails.render_templated_email(None, "account/email/password_changed")
