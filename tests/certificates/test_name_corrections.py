"""Name corrections (certificates.corrections and its admin views): the ministry's
focal point or a certificate officer approves or rejects; approval changes the
names and re-issues each valid certificate (superseding the old one); the officer
is told; every decision stays on record; another ministry's focal point sees
nothing."""

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from accounts import roles
from accounts import services as account_services
from accounts.models import NameCorrectionRequest, NameCorrectionState
from certificates import corrections
from certificates.models import Certificate
from courses import services as course_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_EN, NEW_AR = "Noura Al-Sabah", "نورة الصباح"


def certify(officer, course, capture):
    enrolment = course_services.enrol(officer, course)
    with capture(execute=True):
        course_services.complete_lesson(
            enrolment, course_services.lessons_of(course)[0]
        )
    return Certificate.objects.get(enrolment=enrolment)


@pytest.fixture
def certificate(officer, make_course, django_capture_on_commit_callbacks):
    course = make_course("Victim identification", lessons=1)
    return certify(officer, course, django_capture_on_commit_callbacks)


@pytest.fixture
def correction(officer, certificate):
    change = account_services.change_names(
        officer, NEW_EN, NEW_AR, "Misspelt at sign-up."
    )
    assert change.outcome == "requested"
    return change.request


@pytest.fixture
def focal_point(moi):
    return UserFactory(ministry=moi, role=roles.FOCAL_POINTS)


@pytest.fixture
def mofa_focal_point(mofa):
    return UserFactory(ministry=mofa, role=roles.FOCAL_POINTS)


@pytest.fixture
def certificate_officer(mofa):
    return UserFactory(ministry=mofa, role=roles.CERTIFICATE_OFFICERS)


def decide_url(correction):
    return f"/admin/name_corrections/{correction.pk}/"


# --- The service ------------------------------------------------------------------


def test_approval_corrects_the_names_and_reissues_each_valid_certificate(
    officer,
    certificate,
    correction,
    focal_point,
    make_course,
    django_capture_on_commit_callbacks,
):
    second = certify(
        officer,
        make_course("Labour rights", lessons=1),
        django_capture_on_commit_callbacks,
    )

    with django_capture_on_commit_callbacks(execute=True):
        decision = corrections.approve(correction, focal_point, "Checked the passport.")

    officer.refresh_from_db()
    assert (officer.full_name_en, officer.full_name_ar) == (NEW_EN, NEW_AR)
    assert len(decision.reissued) == 2
    for old in (certificate, second):
        old.refresh_from_db()
        assert old.revocation_reason == "superseded"
        assert old.superseded_by.name_en == NEW_EN
        assert old.superseded_by.name_ar == NEW_AR
        assert old.superseded_by.state == "valid"
    correction.refresh_from_db()
    assert correction.state == NameCorrectionState.APPROVED
    assert correction.decided_by == focal_point
    assert correction.decided_at is not None


def test_the_officer_is_emailed_and_told_on_the_profile(
    client, officer, correction, certificate_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        corrections.approve(correction, certificate_officer)

    assert [message.to for message in mail.outbox][-1] == [officer.email]
    assert NEW_EN in mail.outbox[-1].body
    client.force_login(officer)
    page = client.get("/en/accounts/profile/").content.decode()
    assert "Approved" in page
    assert "re-issued with the corrected name" in page


def test_rejection_keeps_the_names_and_says_why(
    client, officer, certificate, correction, focal_point,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    old_name = officer.full_name_en
    with django_capture_on_commit_callbacks(execute=True):
        corrections.reject(correction, focal_point, "The passport says otherwise.")

    officer.refresh_from_db()
    certificate.refresh_from_db()
    assert officer.full_name_en == old_name
    assert certificate.revoked_at is None
    assert "The passport says otherwise." in mail.outbox[-1].body
    client.force_login(officer)
    page = client.get("/en/accounts/profile/").content.decode()
    assert "Rejected" in page and "The passport says otherwise." in page


def test_a_decision_is_recorded_once_and_kept(correction, focal_point):
    corrections.reject(correction, focal_point, "No proof.")

    with pytest.raises(corrections.services.CertificateRefused):
        corrections.approve(correction, focal_point)

    correction.refresh_from_db()
    assert correction.state == NameCorrectionState.REJECTED
    assert ModelLogEntry.objects.filter(
        action="accounts.name_correction.reject", object_id=str(correction.pk)
    ).exists()


def test_after_a_decision_the_officer_may_ask_again(officer, correction, focal_point):
    corrections.reject(correction, focal_point, "No proof.")

    again = account_services.change_names(officer, NEW_EN, NEW_AR, "Here is proof.")

    assert again.outcome == "requested"
    assert NameCorrectionRequest.objects.filter(officer=officer).count() == 2


def test_names_on_an_expired_or_revoked_certificate_change_at_once(
    officer, certificate, focal_point
):
    corrections.services.revoke(certificate, focal_point, "error", "Wrong course.")

    change = account_services.change_names(officer, NEW_EN, NEW_AR)

    assert change.outcome == "changed"
    officer.refresh_from_db()
    assert officer.full_name_en == NEW_EN


def test_a_focal_point_of_another_ministry_cannot_decide(correction, mofa_focal_point):
    with pytest.raises(NameCorrectionRequest.DoesNotExist):
        corrections.approve(correction, mofa_focal_point)

    correction.refresh_from_db()
    assert correction.is_pending


# --- The admin ----------------------------------------------------------------------


def test_the_focal_point_approves_in_the_admin(
    client, officer, certificate, correction, focal_point,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client.force_login(focal_point)

    page = client.get(decide_url(correction))
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(decide_url(correction), {"decision": "approved", "note": ""})

    assert page.status_code == 200
    body = page.content.decode()
    assert NEW_EN in body and NEW_AR in body and "Misspelt at sign-up." in body
    assert certificate.code in body
    assert done.status_code == 302
    assert done["Location"] == "/admin/name_corrections/"
    certificate.refresh_from_db()
    assert certificate.superseded_by.name_en == NEW_EN
    listing = client.get("/admin/name_corrections/").content.decode()
    assert "1 certificates re-issued" in listing or "re-issued" in listing


def test_rejecting_without_a_note_is_refused_with_400(
    client, correction, certificate_officer
):
    client.force_login(certificate_officer)

    response = client.post(decide_url(correction), {"decision": "rejected"})

    assert response.status_code == 400
    assert "Say why the correction is rejected" in response.content.decode()
    correction.refresh_from_db()
    assert correction.is_pending


@pytest.mark.parametrize(
    "data", [{}, {"decision": "maybe"}, {"decision": "approved", "note": "x" * 2001}]
)
def test_bad_decisions_get_400_not_500(client, correction, focal_point, data):
    client.force_login(focal_point)

    response = client.post(decide_url(correction), data)

    assert response.status_code == 400
    correction.refresh_from_db()
    assert correction.is_pending


def test_deciding_twice_in_the_admin_is_refused_with_400(
    client, correction, focal_point
):
    client.force_login(focal_point)
    client.post(decide_url(correction), {"decision": "rejected", "note": "No proof."})

    again = client.post(decide_url(correction), {"decision": "approved"})

    assert again.status_code == 400
    assert "already been decided" in again.content.decode()


def test_another_ministrys_focal_point_gets_404(client, correction, mofa_focal_point):
    client.force_login(mofa_focal_point)

    page = client.get(decide_url(correction))
    post = client.post(decide_url(correction), {"decision": "approved"})
    listing = client.get("/admin/name_corrections/")

    assert page.status_code == 404
    assert post.status_code == 404
    correction.refresh_from_db()
    assert correction.is_pending
    assert listing.status_code == 200
    assert NEW_EN not in listing.content.decode()


@pytest.mark.parametrize("role", [roles.TRAINERS, roles.NATIONAL_COMMITTEE])
def test_other_staff_may_not_open_name_corrections(client, correction, moi, role):
    client.force_login(UserFactory(ministry=moi, role=role))

    listing = client.get("/admin/name_corrections/")
    posted = client.post(decide_url(correction), {"decision": "approved"})

    # Wagtail's admin answers PermissionDenied by going back to the dashboard.
    assert (listing.status_code, listing["Location"]) == (302, "/admin/")
    assert (posted.status_code, posted["Location"]) == (302, "/admin/")
    correction.refresh_from_db()
    assert correction.is_pending


def test_the_admin_home_shows_pending_corrections_to_those_who_decide(
    client, correction, focal_point, mofa_focal_point, certificate_officer
):
    client.force_login(focal_point)
    own = client.get("/admin/").content.decode()
    client.force_login(certificate_officer)
    officer_home = client.get("/admin/").content.decode()
    client.force_login(mofa_focal_point)
    other = client.get("/admin/").content.decode()

    for body in (own, officer_home):
        assert "Pending name corrections" in body
        assert NEW_EN in body
        assert decide_url(correction) in body
    assert NEW_EN not in other


def test_the_list_costs_a_fixed_number_of_queries(
    client,
    certificate_officer,
    moi,
    make_course,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
    monkeypatch,
):
    # The PDFs are not what this test looks at.
    monkeypatch.setattr("certificates.services._enqueue_render", lambda pk: None)
    course = make_course("Victim identification", lessons=1)
    for number in range(6):
        officer = UserFactory(ministry=moi)
        certify(officer, course, django_capture_on_commit_callbacks)
        account_services.change_names(
            officer, f"Corrected Name {number}", NEW_AR, "Misspelt."
        )
    client.force_login(certificate_officer)

    with django_assert_max_num_queries(20):
        listing = client.get("/admin/name_corrections/")
    with django_assert_max_num_queries(22):
        home = client.get("/admin/")

    assert listing.status_code == 200
    assert listing.content.decode().count("Corrected Name") == 6
    assert "6 name corrections are waiting for a decision." in home.content.decode()


# --- The re-issue form's name fields ------------------------------------------------


def test_the_reissue_form_corrects_the_printed_name(
    client, certificate, certificate_officer
):
    client.force_login(certificate_officer)

    form = client.get(f"/admin/issued_certificates/{certificate.pk}/reissue/")
    done = client.post(
        f"/admin/issued_certificates/{certificate.pk}/reissue/",
        {"name_en": NEW_EN, "name_ar": NEW_AR, "note": "Name corrected."},
    )

    assert f'value="{certificate.name_en}"' in form.content.decode()
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.superseded_by.name_en == NEW_EN
    assert certificate.superseded_by.name_ar == NEW_AR


def test_the_reissue_form_refuses_a_bad_name_with_400(
    client, certificate, certificate_officer
):
    client.force_login(certificate_officer)

    response = client.post(
        f"/admin/issued_certificates/{certificate.pk}/reissue/",
        {"name_en": "x" * 201, "name_ar": NEW_AR, "note": "Name corrected."},
    )

    assert response.status_code == 400
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_the_panel_says_when_nothing_waits(client, certificate_officer):
    client.force_login(certificate_officer)

    body = client.get("/admin/").content.decode()

    assert "Pending name corrections" in body
    assert "No name correction is waiting for a decision." in body
