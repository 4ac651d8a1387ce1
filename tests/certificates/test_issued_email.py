# ruff: noqa: F811 - the Arabic course fixture is imported by name
"""When a certificate is issued (or re-issued, replacing another), the officer is
e-mailed links to the PDF and to the verification page, once per certificate."""

import re

import pytest
from django.core import mail

from certificates import services
from certificates.models import Certificate
from certificates.tasks import render_certificate_task
from core.models import OutboundEmail
from tests.certificates.test_arabic import arabic_course, complete  # noqa: F401
from tests.emails import PORTAL, QUEUED, html_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(site_settings):
    site_settings.organisation_name = PORTAL
    site_settings.save()
    return site_settings


def to_officer(officer):
    return [m for m in mail.outbox if m.to == [officer.email]]


def issue(officer, course, capture) -> Certificate:
    mail.outbox.clear()
    return complete(officer, course, capture)


def test_issued_certificate_is_emailed_with_its_pdf_and_verification_links(
    officer, arabic_course, portal, django_capture_on_commit_callbacks
):
    officer.language = "en"
    officer.save()

    certificate = issue(officer, arabic_course, django_capture_on_commit_callbacks)

    (message,) = to_officer(officer)
    assert message.subject == (f"[{PORTAL}] Your certificate for Victim identification")
    download = f"http://testserver/en/certificates/{certificate.code}.pdf"
    verify = f"http://testserver/en/verify/{certificate.code}/"
    assert download in message.body and verify in message.body
    html = html_of(message)
    assert f'href="{download}"' in html and f'href="{verify}"' in html
    assert certificate.code in html and PORTAL in html


def test_the_emailed_links_open_the_pdf_and_the_verification_page(
    client, officer, arabic_course, portal, django_capture_on_commit_callbacks
):
    officer.language = "en"
    officer.save()
    certificate = issue(officer, arabic_course, django_capture_on_commit_callbacks)
    (message,) = to_officer(officer)
    links = re.findall(r'href="http://testserver(/en/[^"]+)"', html_of(message))
    pdf = next(link for link in links if link.endswith(".pdf"))
    verify = next(link for link in links if "/verify/" in link)

    assert client.get(verify).status_code == 200
    client.force_login(officer)
    response = client.get(pdf)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert certificate.pdf_sha256


def test_an_arabic_reader_gets_the_arabic_title_right_to_left(
    officer, arabic_course, portal, django_capture_on_commit_callbacks
):
    officer.language = "ar"
    officer.save()

    certificate = issue(officer, arabic_course, django_capture_on_commit_callbacks)

    (message,) = to_officer(officer)
    html = html_of(message)
    assert '<html lang="ar" dir="rtl">' in html
    assert "التعرّف على الضحايا" in message.subject
    assert "حضرة" in message.body
    assert f"http://testserver/ar/certificates/{certificate.code}.pdf" in html


def test_a_reissued_certificate_is_emailed_too_naming_the_one_it_replaces(
    officer, arabic_course, portal, django_capture_on_commit_callbacks
):
    officer.language = "en"
    officer.save()
    old = issue(officer, arabic_course, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        new = services.reissue(old, None, "Name corrected")

    (message,) = to_officer(officer)
    assert new.code in message.body and old.code in message.body
    assert message.subject == (
        f"[{PORTAL}] Your corrected certificate for Victim identification"
    )


def test_a_certificate_revoked_before_its_email_went_is_not_announced(
    officer, arabic_course, portal, django_capture_on_commit_callbacks
):
    certificate = issue(officer, arabic_course, django_capture_on_commit_callbacks)
    services.revoke(certificate, None, "error", "issued by mistake")
    mail.outbox.clear()

    assert services.send_issued_email(certificate) == 0
    assert to_officer(officer) == []


@QUEUED
def test_the_certificate_is_emailed_once_even_if_the_task_runs_twice(
    officer, arabic_course, portal, django_capture_on_commit_callbacks
):
    certificate = issue(officer, arabic_course, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        render_certificate_task.call(str(certificate.pk))  # a retried task

    keys = OutboundEmail.objects.values_list("idempotency_key", flat=True)
    assert list(keys) == [f"certificate:{certificate.pk}:issued"]
    assert len(to_officer(officer)) == 1
