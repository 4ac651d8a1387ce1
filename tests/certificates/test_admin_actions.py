"""The certificate officer's admin actions (certificates/admin/views.py): revoking
and re-issuing share one page, one permission and one way of refusing."""

import pytest

from accounts import roles
from certificates.models import Certificate
from courses import services as course_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


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
def certificate_officer(client, moi):
    user = UserFactory(ministry=moi, role=roles.CERTIFICATE_OFFICERS)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("action", "heading"), [("revoke", "Revoke"), ("reissue", "Re-issue")]
)
def test_each_action_asks_first(
    client, certificate, certificate_officer, action, heading
):
    response = client.get(f"/admin/issued_certificates/{certificate.pk}/{action}/")

    assert response.status_code == 200
    body = response.content.decode()
    assert f"{heading} {certificate.code}" in body
    assert certificate.name_en in body
    assert f"/admin/issued_certificates/inspect/{certificate.pk}/" in body


def test_reissue_in_the_admin_shows_the_replacement(
    client, certificate, certificate_officer
):
    refused = client.post(f"/admin/issued_certificates/{certificate.pk}/reissue/")
    done = client.post(
        f"/admin/issued_certificates/{certificate.pk}/reissue/",
        {"note": "Name corrected at the officer's request."},
    )

    assert refused.status_code == 400
    certificate.refresh_from_db()
    new = certificate.superseded_by
    assert new is not None and certificate.revocation_reason == "superseded"
    assert done.status_code == 302
    assert done["Location"] == f"/admin/issued_certificates/inspect/{new.pk}/"


def test_a_refused_action_says_why_with_400(client, certificate, certificate_officer):
    client.post(
        f"/admin/issued_certificates/{certificate.pk}/revoke/",
        {"reason": "error", "note": "Wrong officer."},
    )

    again = client.post(
        f"/admin/issued_certificates/{certificate.pk}/reissue/",
        {"note": "Too late."},
    )

    assert again.status_code == 400
    assert "help-critical" in again.content.decode()


@pytest.mark.parametrize("action", ["revoke", "reissue"])
def test_only_certificate_officers_act(client, certificate, moi, action):
    client.force_login(UserFactory(ministry=moi, role=roles.TRAINERS))

    shown = client.get(f"/admin/issued_certificates/{certificate.pk}/{action}/")
    posted = client.post(
        f"/admin/issued_certificates/{certificate.pk}/{action}/",
        {"reason": "error", "note": "x"},
    )

    # Wagtail's admin answers PermissionDenied by going back to the dashboard.
    assert (shown.status_code, shown["Location"]) == (302, "/admin/")
    assert (posted.status_code, posted["Location"]) == (302, "/admin/")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_an_unknown_certificate_is_404(client, certificate_officer):
    response = client.get(
        "/admin/issued_certificates/00000000-0000-0000-0000-000000000000/revoke/"
    )

    assert response.status_code == 404
