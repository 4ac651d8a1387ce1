"""Certificate officers' work in the admin: the dashboard panel (search by code or
name, recently issued, recently revoked, a place for other apps' sections), the
certificate's page with Revoke and Re-issue as visible buttons, local times and
states in words."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils.html import escape
from wagtail import hooks
from wagtail.admin.ui.components import Component

from accounts import roles
from certificates.admin.panels import CERTIFICATE_DESK_SECTIONS_HOOK
from certificates.models import Certificate, RevocationReason
from courses import services as course_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def issue(moi, make_course):
    """Certificates as issued, at a given moment (no PDF: not needed here)."""
    course = make_course("Victim identification", lessons=1)

    def build(name, issued_at, **fields):
        officer = UserFactory(ministry=moi, full_name_en=name)
        enrolment = course_services.enrol(officer, course)
        return Certificate.objects.create(
            user=officer,
            course=course,
            enrolment=enrolment,
            name_en=name,
            name_ar=officer.full_name_ar,
            course_title=course.title,
            issued_at=issued_at,
            **fields,
        )

    return build


@pytest.fixture
def certificate_officer(client, moi):
    user = UserFactory(ministry=moi, role=roles.CERTIFICATE_OFFICERS, language="en")
    client.force_login(user)
    return user


def _desk(client) -> str:
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="certificate-desk-section"' in body
    return body


def test_officer_dashboard_lists_recent_issues_and_revocations(
    client, certificate_officer, issue
):
    issued = issue("Fatima Al-Azmi", datetime.datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    revoked = issue(
        "Noura Al-Harbi",
        datetime.datetime(2026, 2, 1, 9, 0, tzinfo=UTC),
        revoked_at=datetime.datetime(2026, 3, 2, 21, 30, tzinfo=UTC),
        revocation_reason=RevocationReason.ERROR,
    )

    body = _desk(client)

    issued_part, revoked_part = body.split("Recently revoked")
    assert issued.code in issued_part and "Fatima Al-Azmi" in issued_part
    # Issued at 09:00 UTC: 12:00 in Kuwait.
    assert "1 Mar 2026, 12:00" in issued_part
    assert revoked.code in revoked_part and "Issued in error" in revoked_part
    # Revoked at 21:30 UTC on 2 March: 00:30 on 3 March in Kuwait.
    assert "3 Mar 2026, 00:30" in revoked_part
    inspect_url = reverse("issued_certificates:inspect", args=[issued.pk])
    assert f'href="{inspect_url}"' in issued_part


def test_officer_dashboard_searches_issued_certificates_by_code_or_name(
    client, certificate_officer, issue
):
    wanted = issue("Fatima Al-Azmi", datetime.datetime(2026, 3, 1, tzinfo=UTC))
    other = issue("Jaber Al-Fadhli", datetime.datetime(2026, 3, 2, tzinfo=UTC))

    body = _desk(client)
    index_url = reverse("issued_certificates:index")
    assert f'action="{index_url}"' in body
    assert 'name="q"' in body

    for query in (wanted.code, "Fatima"):
        found = client.get(index_url, {"q": query}).content.decode()
        assert wanted.code in found
        assert other.code not in found


def test_other_apps_add_sections_to_the_officer_panel(
    client, certificate_officer, issue
):
    class Corrections(Component):
        def render_html(self, parent_context=None):
            return "<p>2 name corrections wait for you</p>"

    with hooks.register_temporarily(
        CERTIFICATE_DESK_SECTIONS_HOOK, lambda request: Corrections()
    ):
        body = _desk(client)

    assert "2 name corrections wait for you" in body


def test_officer_dashboard_query_budget(
    client, certificate_officer, issue, django_assert_max_num_queries
):
    for day in range(1, 9):
        issue(
            f"Officer {day}",
            datetime.datetime(2026, 3, day, tzinfo=UTC),
            revoked_at=datetime.datetime(2026, 4, day, tzinfo=UTC),
            revocation_reason=RevocationReason.OTHER,
        )
    client.get(reverse("wagtailadmin_home"))  # warm the caches

    # The desk panel and the pending name corrections panel, beside Wagtail's own.
    with django_assert_max_num_queries(22):
        body = _desk(client)

    assert body.count("Officer 8") == 2  # issued, and revoked


def test_staff_without_certificate_work_see_no_officer_panel(client, moi):
    client.force_login(UserFactory(ministry=moi, role=roles.TRAINERS))

    body = client.get(reverse("wagtailadmin_home")).content.decode()

    assert 'id="certificate-desk-section"' not in body


def test_certificate_page_shows_revoke_and_reissue_as_buttons(
    client, certificate_officer, issue
):
    certificate = issue("Fatima Al-Azmi", datetime.datetime(2026, 3, 1, tzinfo=UTC))

    body = client.get(
        reverse("issued_certificates:inspect", args=[certificate.pk])
    ).content.decode()

    revoke_url = reverse("issued_certificates:revoke", args=[certificate.pk])
    reissue_url = reverse("issued_certificates:reissue", args=[certificate.pk])
    actions = body.split("data-certificate-actions", 1)[1].split("</div>", 1)[0]
    assert f'<a href="{revoke_url}" class="button no">Revoke</a>' in actions
    assert f'href="{reissue_url}"' in actions


def test_revoked_certificate_page_offers_no_revoke(client, certificate_officer, issue):
    certificate = issue(
        "Fatima Al-Azmi",
        datetime.datetime(2026, 3, 1, tzinfo=UTC),
        revoked_at=datetime.datetime(2026, 3, 5, tzinfo=UTC),
        revocation_reason=RevocationReason.ERROR,
    )

    body = client.get(
        reverse("issued_certificates:inspect", args=[certificate.pk])
    ).content.decode()

    assert reverse("issued_certificates:revoke", args=[certificate.pk]) not in body
    assert re.search(r">Status</dt>\s*<dd>\s*Revoked\s*</dd>", body)


def test_certificate_page_shows_local_times_and_the_state_in_words(
    client, certificate_officer, issue
):
    certificate = issue(
        "Fatima Al-Azmi",
        datetime.datetime(2026, 3, 1, 22, 15, tzinfo=UTC),
        expires_at=datetime.datetime(2099, 3, 1, 22, 15, tzinfo=UTC),
    )

    body = client.get(
        reverse("issued_certificates:inspect", args=[certificate.pk])
    ).content.decode()

    # 22:15 UTC on 1 March is 01:15 on 2 March in Kuwait.
    assert "2 March 2026, 01:15 (Kuwait time)" in body
    assert "22:15" not in body
    assert re.search(r">Status</dt>\s*<dd>\s*Valid\s*</dd>", body)


def test_issued_certificates_list_shows_state_labels(
    client, certificate_officer, issue
):
    issue("Fatima Al-Azmi", datetime.datetime(2026, 3, 1, tzinfo=UTC))
    issue(
        "Noura Al-Harbi",
        datetime.datetime(2026, 2, 1, tzinfo=UTC),
        revoked_at=datetime.datetime(2026, 3, 2, tzinfo=UTC),
        revocation_reason=RevocationReason.ERROR,
    )

    body = client.get(reverse("issued_certificates:index")).content.decode()

    assert escape("Valid") in body and "Revoked" in body
    assert ">valid<" not in body.replace(" ", "").replace("\n", "")
