"""Issuing, downloading, verifying, revoking and re-issuing certificates."""

import hashlib
import io
import json
from datetime import timedelta

import pypdf
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts import roles
from certificates import services, signing
from certificates.models import Certificate, normalise_code
from courses import services as course_services
from courses.models import Enrolment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(officer, make_course, django_capture_on_commit_callbacks):
    """A completed enrolment of the officer in a one-lesson course (24 months)."""
    course = make_course(
        "Victim identification", lessons=1, certificate_validity_months=24
    )
    enrolment = course_services.enrol(officer, course)
    with django_capture_on_commit_callbacks(execute=True):
        course_services.complete_lesson(
            enrolment, course_services.lessons_of(course)[0]
        )
    enrolment.refresh_from_db()
    return enrolment


@pytest.fixture
def certificate(completed):
    return Certificate.objects.get(enrolment=completed)


def test_completing_a_course_issues_one_certificate_with_a_snapshot(
    certificate, officer
):
    assert certificate.name_en == officer.full_name_en
    assert certificate.name_ar == officer.full_name_ar
    assert certificate.course_title == "Victim identification"
    assert certificate.ministry_en == "Ministry of Interior"
    assert certificate.expires_at.year == certificate.issued_at.year + 2
    assert certificate.pdf and len(certificate.pdf_sha256) == 64


def test_issuing_again_returns_the_same_certificate(completed, certificate):
    again = [services.issue_certificate(completed) for _ in range(3)]

    assert {c.pk for c in again} == {certificate.pk}
    assert Certificate.objects.count() == 1


def test_snapshot_does_not_follow_later_name_changes(certificate, officer):
    officer.full_name_en = "Changed Name"
    officer.save()

    certificate.refresh_from_db()
    assert certificate.name_en != "Changed Name"


def test_incomplete_enrolment_gets_no_certificate(officer, course):
    enrolment = course_services.enrol(officer, course)

    with pytest.raises(services.CertificateRefused):
        services.issue_certificate(enrolment)


def test_code_is_read_in_any_case_with_spaces_and_dashes(certificate):
    messy = certificate.code.lower().replace("-", " ")

    assert normalise_code(messy) == certificate.code
    assert services.verify(messy).certificate == certificate


# Downloads


def test_owner_downloads_the_pdf(client, officer, certificate):
    client.force_login(officer)

    response = client.get(f"/certificates/{certificate.code}.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("role", "same_ministry", "allowed"),
    [
        (None, True, False),
        (roles.FOCAL_POINTS, True, True),
        (roles.FOCAL_POINTS, False, False),
        (roles.NATIONAL_COMMITTEE, False, True),
        (roles.CERTIFICATE_OFFICERS, False, True),
        (roles.TRAINERS, True, False),
    ],
)
def test_who_may_download(client, certificate, moi, mofa, role, same_ministry, allowed):
    viewer = UserFactory(ministry=moi if same_ministry else mofa, role=role)
    client.force_login(viewer)

    response = client.get(f"/certificates/{certificate.code}.pdf")

    assert response.status_code == (200 if allowed else 404)


def test_anonymous_download_goes_to_sign_in(client, certificate):
    response = client.get(f"/certificates/{certificate.code}.pdf")

    assert response.status_code == 302


# Verification


def test_verify_page_says_valid_and_what_the_certificate_states(client, certificate):
    body = client.get(f"/verify/{certificate.code}/").content.decode()

    assert "VALID" in body
    assert certificate.name_en in body and certificate.name_ar in body
    assert "Victim identification" in body
    assert certificate.user.email not in body


def test_verify_redirects_a_messy_code_to_its_canonical_form(client, certificate):
    response = client.get(f"/verify/{certificate.code.lower().replace('-', '')}/")

    assert response.status_code == 302
    # Under the language the visitor was sent to (tests/conftest.py: English).
    assert response["Location"] == f"/en/verify/{certificate.code}/"


def test_verify_unknown_code_is_not_found(client):
    response = client.get("/verify/TDRB-AAAAA-BBBBB-CCCCC-DDDDD/")

    assert response.status_code == 404
    assert "NOT FOUND" in response.content.decode()


def test_verify_expired(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )

    body = client.get(f"/verify/{certificate.code}/").content.decode()

    assert "EXPIRED" in body


def test_revocation_shows_when_and_why_on_the_page_and_in_json(client, certificate):
    services.revoke(certificate, None, "error", "Issued to the wrong person.")

    page = client.get(f"/verify/{certificate.code}/").content.decode()
    api = client.get(f"/api/v1/certificates/{certificate.code}/").json()

    assert "REVOKED" in page and "Issued in error" in page
    assert api["status"] == "revoked"
    assert api["revocation_reason"] == "error"
    assert api["revoked_on"] is not None


def test_reissue_supersedes_and_points_to_the_replacement(client, certificate, moi):
    officer = UserFactory(ministry=moi, role=roles.CERTIFICATE_OFFICERS)

    new = services.reissue(certificate, officer, "Name corrected")

    certificate.refresh_from_db()
    assert certificate.revocation_reason == "superseded"
    assert certificate.superseded_by == new
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert new.code in page
    api = client.get(f"/api/v1/certificates/{certificate.code}/").json()
    assert api["replaced_by"] == new.code
    assert ModelLogEntry.objects.filter(action="certificates.revoke").exists()


def test_json_api_states_the_same_facts(client, certificate):
    response = client.get(f"/api/v1/certificates/{certificate.code}/")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "valid"
    assert body["name_en"] == certificate.name_en
    assert body["verify_url"].endswith(f"/verify/{certificate.code}/")
    assert "email" not in json.dumps(body)


def test_json_api_not_found(client):
    response = client.get("/api/v1/certificates/nonsense/")

    assert response.status_code == 404
    assert response.json()["status"] == "not_found"


def test_file_check_recognises_the_issued_file_and_a_changed_one(client, certificate):
    with certificate.pdf.open("rb") as handle:
        original = handle.read()
    changed = original[:-20] + b"0" + original[-19:]

    same = client.post(
        f"/verify/{certificate.code}/",
        {"file": SimpleUploadedFile("c.pdf", original, "application/pdf")},
    )
    other = client.post(
        f"/verify/{certificate.code}/",
        {"file": SimpleUploadedFile("c.pdf", changed, "application/pdf")},
    )

    assert "exactly the certificate as issued" in same.content.decode()
    assert "not the certificate as issued" in other.content.decode()


def test_file_check_refuses_what_is_not_a_pdf(client, certificate):
    response = client.post(
        f"/verify/{certificate.code}/",
        {"file": SimpleUploadedFile("c.txt", b"hello", "text/plain")},
    )

    assert response.status_code == 400
    assert "This file is not a PDF." in response.content.decode()


def test_verification_is_rate_limited_with_a_clear_page(client, settings):
    for _ in range(60):
        client.get("/verify/TDRB-AAAAA-BBBBB-CCCCC-DDDDD/")

    response = client.get("/verify/TDRB-AAAAA-BBBBB-CCCCC-DDDDD/")

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


# Admin and commands


def test_certificate_officer_revokes_in_the_admin(client, certificate, moi):
    client.force_login(UserFactory(ministry=moi, role=roles.CERTIFICATE_OFFICERS))

    refused = client.post(
        f"/admin/issued_certificates/{certificate.pk}/revoke/", {"reason": "error"}
    )
    done = client.post(
        f"/admin/issued_certificates/{certificate.pk}/revoke/",
        {"reason": "error", "note": "Wrong officer."},
    )

    assert refused.status_code == 400
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revocation_note == "Wrong officer."


def test_trainers_cannot_revoke(client, certificate, moi):
    client.force_login(UserFactory(ministry=moi, role=roles.TRAINERS))

    client.post(
        f"/admin/issued_certificates/{certificate.pk}/revoke/",
        {"reason": "error", "note": "x"},
    )

    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_nobody_deletes_a_certificate(client, certificate, moi):
    client.force_login(UserFactory(ministry=moi, is_superuser=True))

    client.post(f"/admin/issued_certificates/delete/{certificate.pk}/")

    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_reminders_are_sent_once(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() + timedelta(days=10)
    )
    mail.outbox.clear()  # the "certificate issued" e-mail

    call_command("send_certificate_reminders", verbosity=0)
    call_command("send_certificate_reminders", verbosity=0)

    assert len(mail.outbox) == 2  # the 60-day and the 14-day reminder, once each
    assert certificate.code in mail.outbox[0].body


def test_backfill_command_issues_missing_certificates(officer, course):
    enrolment = course_services.enrol(officer, course)
    for lesson in course_services.lessons_of(course):
        course_services.complete_lesson(enrolment, lesson)  # on_commit never runs
    assert not Certificate.objects.exists()

    call_command("issue_certificates", "--dry-run", verbosity=0)
    assert not Certificate.objects.exists()
    call_command("issue_certificates", verbosity=0)
    call_command("issue_certificates", verbosity=0)

    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_dashboard_lists_certificates_with_links(client, officer, certificate):
    client.force_login(officer)

    body = client.get("/dashboard/").content.decode()

    assert certificate.code in body
    assert f"/certificates/{certificate.code}.pdf" in body
    assert f"/verify/{certificate.code}/" in body
    assert "expires on" in body


def test_trainer_previews_a_design_as_a_sample_pdf(client, moi):
    from certificates.models import CertificateTemplate

    design = CertificateTemplate.objects.get(is_default=True)
    client.force_login(UserFactory(ministry=moi, role=roles.TRAINERS))

    response = client.get(f"/admin/certificate_designs/{design.pk}/preview.pdf")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_focal_point_cannot_preview_designs(client, moi):
    from certificates.models import CertificateTemplate

    design = CertificateTemplate.objects.get(is_default=True)
    client.force_login(UserFactory(ministry=moi, role=roles.FOCAL_POINTS))

    response = client.get(f"/admin/certificate_designs/{design.pk}/preview.pdf")

    assert response.status_code != 200


def test_after_expiry_the_course_can_be_taken_again_as_a_new_cycle(
    client, officer, certificate, django_capture_on_commit_callbacks
):
    course = certificate.course.specific
    client.force_login(officer)
    assert course_services.enrol(officer, course).cycle == 1  # not expired yet

    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    # Time passing, simulated by a direct UPDATE that no service saw: bring the
    # enrolment's copy of its current certificate (its reporting facts) along.
    course_services.refresh_reporting_facts(
        Enrolment.objects.filter(pk=certificate.enrolment_id)
    )
    page = client.get(course.url).content.decode()
    assert "Take the course again" in page
    client.post(course.url)

    renewal = course_services.get_enrolment(officer, course)
    assert renewal.cycle == 2 and renewal.completed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        course_services.complete_lesson(renewal, course_services.lessons_of(course)[0])

    assert Certificate.objects.filter(user=officer).count() == 2
    certificate.refresh_from_db()
    assert certificate.revoked_at is None  # the old one stays, as expired
    assert "You completed this course on" in client.get(course.url).content.decode()


def test_owner_of_a_revoked_certificate_is_told_instead_of_downloading(
    client, officer, certificate, moi
):
    services.revoke(certificate, None, "misconduct", "Withdrawn.")
    client.force_login(officer)

    response = client.get(f"/certificates/{certificate.code}.pdf")

    assert response.status_code == 410
    assert "This certificate has been revoked" in response.content.decode()
    staff = UserFactory(ministry=moi, role=roles.CERTIFICATE_OFFICERS)
    client.force_login(staff)
    assert client.get(f"/certificates/{certificate.code}.pdf").status_code == 200


def test_api_rate_limit_ignores_a_forged_forwarded_for_header(client):
    statuses = [
        client.get(
            "/api/v1/certificates/TDRB-AAAAA-BBBBB-CCCCC-DDDDD/",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        ).status_code
        for n in range(70)
    ]

    assert 429 in statuses


def test_verify_form_ignores_stray_query_parameters(client):
    assert client.get("/verify/", {"utm_source": "qr"}).status_code == 200


def test_revoke_command_refuses_superseded_without_a_replacement(certificate):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("revoke_certificate", certificate.code, "--reason", "superseded")


# Signing PDFs stored before a key was configured


@pytest.fixture
def signing_key(settings, tmp_path):
    """A development key pair, configured as the signing key from now on."""
    call_command("make_dev_signing_key", dir=str(tmp_path), verbosity=0)
    settings.CERTIFICATES_SIGNING_KEY = str(tmp_path / "signing-key.pem")
    settings.CERTIFICATES_SIGNING_CERT = str(tmp_path / "signing-cert.pem")
    return settings


def stored_pdf(certificate) -> bytes:
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def test_regenerating_signs_a_pdf_stored_before_a_key_was_configured(
    certificate, settings, tmp_path, django_capture_on_commit_callbacks
):
    unsigned = stored_pdf(certificate)
    unsigned_name = certificate.pdf.name
    assert not signing.check_signature(unsigned).signed
    call_command("make_dev_signing_key", dir=str(tmp_path), verbosity=0)
    settings.CERTIFICATES_SIGNING_KEY = str(tmp_path / "signing-key.pem")
    settings.CERTIFICATES_SIGNING_CERT = str(tmp_path / "signing-cert.pem")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("regenerate_certificate_pdfs", stdout=io.StringIO())

    signed = stored_pdf(certificate)
    check = signing.check_signature(signed)
    assert check.valid and check.trusted
    assert pypdf.PdfReader(io.BytesIO(signed)).get_fields()  # the signature field
    assert signed.startswith(unsigned)  # the same certificate, signature appended
    assert certificate.pdf_sha256 == hashlib.sha256(signed).hexdigest()
    assert services.file_matches(certificate, signed)
    assert not certificate.pdf.storage.exists(unsigned_name)


def test_regenerating_leaves_a_signed_pdf_alone(certificate, signing_key):
    services.render_certificate(certificate, force=True)  # signed when rendered
    signed = stored_pdf(certificate)
    name, digest = certificate.pdf.name, certificate.pdf_sha256

    call_command("regenerate_certificate_pdfs", stdout=io.StringIO())

    assert stored_pdf(certificate) == signed
    assert (certificate.pdf.name, certificate.pdf_sha256) == (name, digest)


def test_regenerating_twice_signs_once(certificate, signing_key):
    call_command("regenerate_certificate_pdfs", stdout=io.StringIO())
    once = stored_pdf(certificate)

    output = io.StringIO()
    call_command("regenerate_certificate_pdfs", stdout=output)

    assert stored_pdf(certificate) == once
    assert "0 stored PDFs signed" in output.getvalue()


def test_regenerating_refuses_to_sign_a_pdf_that_no_longer_matches_its_record(
    certificate, signing_key
):
    with certificate.pdf.open("wb") as handle:
        handle.write(b"%PDF-1.7 not what was issued")

    with pytest.raises(CommandError, match="1 stored PDFs were not signed"):
        call_command(
            "regenerate_certificate_pdfs", stdout=io.StringIO(), stderr=io.StringIO()
        )

    assert stored_pdf(certificate) == b"%PDF-1.7 not what was issued"


def test_regenerating_dry_run_counts_unsigned_pdfs_and_signs_nothing(
    certificate, signing_key
):
    unsigned = stored_pdf(certificate)
    output = io.StringIO()

    call_command("regenerate_certificate_pdfs", "--dry-run", stdout=output)

    assert "1 stored PDFs would be signed" in output.getvalue()
    assert stored_pdf(certificate) == unsigned


def test_regenerating_without_a_key_says_pdfs_stay_unsigned(certificate, settings):
    settings.CERTIFICATES_SIGNING_KEY = None
    settings.CERTIFICATES_SIGNING_CERT = None
    unsigned = stored_pdf(certificate)
    output = io.StringIO()

    call_command("regenerate_certificate_pdfs", stdout=output)

    assert "stored PDFs stay unsigned" in output.getvalue()
    assert stored_pdf(certificate) == unsigned


def test_sign_only_signs_stored_pdfs_and_renders_none(
    certificate, completed, moi, signing_key
):
    colleague = UserFactory(ministry=moi)
    enrolment = course_services.enrol(colleague, completed.course)
    for lesson in course_services.lessons_of(completed.course):
        course_services.complete_lesson(enrolment, lesson)  # on_commit never runs
    call_command("issue_certificates", verbosity=0)  # issued, PDF not rendered yet
    unrendered = Certificate.objects.get(enrolment=enrolment)

    call_command("regenerate_certificate_pdfs", "--sign-only", stdout=io.StringIO())

    assert signing.check_signature(stored_pdf(certificate)).valid
    unrendered.refresh_from_db()
    assert not unrendered.pdf and not unrendered.pdf_sha256


def test_force_and_sign_only_together_are_refused(certificate):
    with pytest.raises(CommandError, match="exclude each other"):
        call_command("regenerate_certificate_pdfs", "--force", "--sign-only")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_printed_verify_address_has_no_language_and_leads_to_the_readers(
    client, certificate, language, settings
):
    """The QR code is printed once and read by anyone: it carries no language
    prefix, and opening it lands on the result page in the reader's language."""
    from django.test import Client
    from django.utils import translation

    from certificates.services import verify_url

    with translation.override(language):
        url = verify_url(certificate)
    path = url.removeprefix(settings.WAGTAILADMIN_BASE_URL.rstrip("/"))
    assert path == f"/verify/{certificate.code}/"

    response = Client().get(path, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 302
    assert response["Location"].startswith("/ar/verify/")
