"""Certificate downloads handed to nginx (X-Accel-Redirect) once Django has checked
who is asking; without the setting Django streams the file itself."""

import pytest

from certificates.models import Certificate
from courses import services as course_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PREFIX = "/_protected/certificates/"


@pytest.fixture
def certificate(officer, make_course, django_capture_on_commit_callbacks):
    course = make_course("Victim identification", lessons=1)
    enrolment = course_services.enrol(officer, course)
    with django_capture_on_commit_callbacks(execute=True):
        course_services.complete_lesson(
            enrolment, course_services.lessons_of(course)[0]
        )
    return Certificate.objects.get(enrolment=enrolment)


@pytest.fixture
def accel(settings):
    settings.CERTIFICATES_X_ACCEL_REDIRECT = PREFIX


def test_owner_gets_the_internal_redirect_and_no_body(
    client, officer, certificate, accel
):
    client.force_login(officer)

    response = client.get(f"/certificates/{certificate.code}.pdf")

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == PREFIX + certificate.pdf.name
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{certificate.code}.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == b""


def test_stored_name_is_url_quoted(client, officer, certificate, accel):
    Certificate.objects.filter(pk=certificate.pk).update(pdf="2026/12/a b#c.pdf")
    client.force_login(officer)

    response = client.get(f"/certificates/{certificate.code}.pdf")

    assert response["X-Accel-Redirect"] == PREFIX + "2026/12/a%20b%23c.pdf"


@pytest.mark.parametrize(
    "name", ["../secret.pdf", "2026/../../secret.pdf", "/etc/passwd", "a\\..\\b.pdf"]
)
def test_a_name_escaping_the_storage_is_refused(
    client, officer, certificate, accel, name
):
    Certificate.objects.filter(pk=certificate.pk).update(pdf=name)
    client.force_login(officer)

    response = client.get(f"/certificates/{certificate.code}.pdf")

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_a_stranger_gets_404_and_no_redirect(client, certificate, accel):
    client.force_login(UserFactory())

    response = client.get(f"/certificates/{certificate.code}.pdf")

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_without_the_setting_the_file_streams(client, officer, certificate, settings):
    settings.CERTIFICATES_X_ACCEL_REDIRECT = ""
    client.force_login(officer)

    response = client.get(f"/certificates/{certificate.code}.pdf")

    assert response.status_code == 200
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
