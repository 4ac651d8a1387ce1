"""Course assignments: who is enrolled, the e-mails and reminders, the compliance
figures, and the admin pages (scoped to the focal point's ministry)."""

import csv
import html
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.access import Scope
from accounts.models import Cadre, User
from courses.models import Enrolment, EnrolmentSource
from courses.services import enrol
from reporting import services, stats
from reporting.models import Assignment, AssignmentAudience, MinistryLogEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD = "assignments:add"
INDEX = "assignments:index"


def today():
    return timezone.localdate()


def in_days(days):
    return today() + timedelta(days=days)


@pytest.fixture
def people(moi, mofa):
    """MOI: two police officers, a diplomat, an unverified and a deactivated police
    officer, the focal point (cadre "other"); MOFA: a police officer, the focal
    point; a committee member, a trainer."""
    return {
        "police1": UserFactory(
            ministry=moi, email="ahmad@moi.gov.kw", full_name_en="Ahmad Police"
        ),
        "police2": UserFactory(
            ministry=moi, email="bader@moi.gov.kw", full_name_en="Bader Police"
        ),
        "diplomat": UserFactory(
            ministry=moi,
            email="dana@moi.gov.kw",
            full_name_en="Dana Diplomat",
            cadre=Cadre.DIPLOMAT,
        ),
        "unverified": UserFactory(ministry=moi, email="new@moi.gov.kw", verified=False),
        "inactive": UserFactory(ministry=moi, email="gone@moi.gov.kw", is_active=False),
        "focal": UserFactory(
            ministry=moi,
            email="focal@moi.gov.kw",
            full_name_en="Focal MOI",
            cadre=Cadre.OTHER,
            role=roles.FOCAL_POINTS,
        ),
        "mofa_police": UserFactory(
            ministry=mofa, email="eman@mofa.gov.kw", full_name_en="Eman MOFA"
        ),
        "mofa_focal": UserFactory(
            ministry=mofa,
            email="focal@mofa.gov.kw",
            cadre=Cadre.OTHER,
            role=roles.FOCAL_POINTS,
        ),
        "committee": UserFactory(
            ministry=mofa,
            email="committee@mofa.gov.kw",
            cadre=Cadre.OTHER,
            role=roles.NATIONAL_COMMITTEE,
        ),
        "trainer": UserFactory(
            ministry=moi,
            email="trainer@moi.gov.kw",
            cadre=Cadre.OTHER,
            role=roles.TRAINERS,
        ),
    }


def assign(people, course, moi, **kwargs):
    values = {
        "by": people["focal"],
        "course": course,
        "ministry": moi,
        "audience": AssignmentAudience.CADRE,
        "cadre": Cadre.POLICE,
        "due_date": in_days(30),
    }
    return services.assign_course(**(values | kwargs))


def refused(response) -> bool:
    """Wagtail answers a permission refusal with a redirect to the admin home (or
    to the login page for users without admin access), or a 403."""
    return response.status_code == 403 or (
        response.status_code == 302
        and response.url.split("?")[0]
        in (reverse("wagtailadmin_home"), reverse("account_login"))
    )


def enrolled_emails(course):
    return set(
        Enrolment.objects.filter(course=course).values_list("user__email", flat=True)
    )


# --- Who is enrolled --------------------------------------------------------------


def test_assigning_to_everyone_enrols_every_active_verified_officer_of_the_ministry(
    people, course, moi
):
    result = assign(people, course, moi, audience=AssignmentAudience.EVERYONE)

    assert enrolled_emails(course) == {
        "ahmad@moi.gov.kw",
        "bader@moi.gov.kw",
        "dana@moi.gov.kw",
        "focal@moi.gov.kw",
        "trainer@moi.gov.kw",
    }
    assert result.enrolled == 5
    enrolment = Enrolment.objects.get(user=people["police1"], course=course)
    assert enrolment.source == EnrolmentSource.ASSIGNED
    assert enrolment.due_date == in_days(30)
    assert enrolment.assignment == result.assignment
    assert enrolment.ministry_id == moi.pk


def test_assigning_to_a_cadre_enrols_only_that_cadres_officers(people, course, moi):
    result = assign(people, course, moi)

    assert enrolled_emails(course) == {"ahmad@moi.gov.kw", "bader@moi.gov.kw"}
    assert result.enrolled == 2
    assert result.assignment.cadre == Cadre.POLICE


def test_assigning_a_list_matches_addresses_regardless_of_case(people, course, moi):
    result = assign(
        people,
        course,
        moi,
        audience=AssignmentAudience.LIST,
        emails=["AHMAD@moi.gov.kw", " Dana@MOI.gov.kw "],
    )

    assert enrolled_emails(course) == {"ahmad@moi.gov.kw", "dana@moi.gov.kw"}
    assert result.unknown_emails == []


def test_listed_addresses_outside_the_ministry_are_reported_unknown_alike(
    people, course, moi
):
    result = assign(
        people,
        course,
        moi,
        audience=AssignmentAudience.LIST,
        emails=[
            "ahmad@moi.gov.kw",
            "eman@mofa.gov.kw",  # another ministry's officer
            "nobody@moi.gov.kw",  # no such account
            "new@moi.gov.kw",  # not verified
            "gone@moi.gov.kw",  # deactivated
        ],
    )

    assert enrolled_emails(course) == {"ahmad@moi.gov.kw"}
    assert result.unknown_emails == [
        "eman@mofa.gov.kw",
        "nobody@moi.gov.kw",
        "new@moi.gov.kw",
        "gone@moi.gov.kw",
    ]


def test_due_date_today_or_in_the_past_is_refused(people, course, moi):
    for due in (today(), in_days(-1)):
        with pytest.raises(services.AssignmentRefused, match="future"):
            assign(people, course, moi, due_date=due)

    assert not Assignment.objects.exists()
    assert not Enrolment.objects.exists()


def test_unpublished_course_is_refused(people, course, moi):
    course.unpublish()

    with pytest.raises(services.AssignmentRefused, match="not published"):
        assign(people, course, moi)

    assert not Assignment.objects.exists()


def test_focal_point_cannot_assign_to_another_ministry(people, course, mofa):
    with pytest.raises(services.AssignmentRefused, match="own ministry"):
        assign(people, course, mofa)

    assert not Enrolment.objects.exists()


def test_committee_cannot_assign(people, course, moi):
    with pytest.raises(services.AssignmentRefused):
        assign(people, course, moi, by=people["committee"])


def test_officer_already_enrolled_is_given_the_due_date_not_enrolled_twice(
    people, course, moi
):
    own = enrol(people["police1"], course)

    result = assign(people, course, moi)

    assert Enrolment.objects.filter(user=people["police1"], course=course).count() == 1
    own.refresh_from_db()
    assert own.due_date == in_days(30)
    assert own.assignment == result.assignment
    assert own.source == EnrolmentSource.SELF
    assert (result.enrolled, result.redated) == (1, 1)


def test_completed_enrolment_is_linked_without_changing_its_completion(
    people, course, moi
):
    done_at = timezone.now() - timedelta(days=3)
    done = enrol(people["police1"], course)
    Enrolment.objects.filter(pk=done.pk).update(
        started_at=done_at, completed_at=done_at
    )

    result = assign(people, course, moi)

    done.refresh_from_db()
    assert done.completed_at == done_at
    assert done.assignment == result.assignment
    assert result.already_completed == 1
    assert result.reached == 1  # only police2 is asked to take it
    compliance = stats.assignment_compliance(Scope.ministry(moi.pk))
    assert compliance[result.assignment.pk].on_time == 1


def test_officer_whose_certificate_expired_takes_the_course_again(people, course, moi):
    """An expired certificate is not "already completed": the assignment starts a
    new cycle with the due date, and the first cycle stays as history."""
    done_at = timezone.now() - timedelta(days=800)
    first = enrol(people["police1"], course)
    Enrolment.objects.filter(pk=first.pk).update(
        started_at=done_at,
        completed_at=done_at,
        certificate_issued_at=done_at,
        certificate_expires_at=done_at + timedelta(days=365),
    )

    result = assign(people, course, moi)

    assert result.already_completed == 0
    assert result.enrolled == 2  # police2 new, police1 again
    renewal = Enrolment.objects.get(user=people["police1"], course=course, cycle=2)
    assert renewal.due_date == in_days(30)
    assert renewal.assignment == result.assignment
    assert renewal.is_latest_cycle
    first.refresh_from_db()
    assert first.completed_at == done_at
    assert not first.is_latest_cycle


def test_assignment_is_recorded_in_the_audit_log(people, course, moi):
    result = assign(people, course, moi)

    entry = MinistryLogEntry.objects.get(action="reporting.assign")
    assert entry.object_id == str(result.assignment.pk)
    assert entry.user_id == people["focal"].pk
    assert entry.data["enrolled"] == 2


def test_assigning_200_officers_uses_a_bounded_number_of_queries(
    people, course, moi, django_assert_max_num_queries
):
    for n in range(200):
        UserFactory(ministry=moi, email=f"bulk{n}@moi.gov.kw", cadre=Cadre.POLICE)

    # A fixed number, plus one INSERT per batch (SQLite's batches are small).
    with django_assert_max_num_queries(24):
        result = assign(people, course, moi)

    assert result.enrolled == 202


# --- E-mails ------------------------------------------------------------------


def test_officers_reached_are_emailed_the_course_due_date_message_and_link(
    people, course, moi, django_capture_on_commit_callbacks
):
    User.objects.filter(ministry=moi).update(language="en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assign(people, course, moi, message="Required for all investigators.")

    assert sorted(m.to[0] for m in mail.outbox) == [
        "ahmad@moi.gov.kw",
        "bader@moi.gov.kw",
    ]
    message = mail.outbox[0]
    due = in_days(30)
    assert course.title in message.subject
    assert f"{due.day} {due:%B %Y}" in message.body
    assert "Required for all investigators." in message.body
    assert f"http://testserver{course.url}" in message.body


def test_officers_who_completed_the_course_are_not_emailed(
    people, course, moi, django_capture_on_commit_callbacks
):
    done = enrol(people["police1"], course)
    Enrolment.objects.filter(pk=done.pk).update(completed_at=timezone.now())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assign(people, course, moi)

    assert [m.to[0] for m in mail.outbox] == ["bader@moi.gov.kw"]


def test_each_officer_is_emailed_in_their_language_with_the_course_in_it(
    people, course, moi, django_capture_on_commit_callbacks
):
    from django.utils import formats, translation

    from tests.courses.conftest import translate

    arabic = translate(course, "ar", title="التعرّف على الضحايا")
    User.objects.filter(email="ahmad@moi.gov.kw").update(language="ar")
    User.objects.filter(email="bader@moi.gov.kw").update(language="en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assign(people, course, moi)

    by_address = {m.to[0]: m for m in mail.outbox}
    in_arabic, in_english = (
        by_address["ahmad@moi.gov.kw"],
        by_address["bader@moi.gov.kw"],
    )
    due = in_days(30)
    assert arabic.title in in_arabic.subject
    assert arabic.title in in_arabic.body
    with translation.override("ar"):
        assert formats.date_format(due, "j F Y") in in_arabic.body
    assert course.title not in in_arabic.subject
    assert course.title in in_english.subject
    assert arabic.title not in in_english.body
    assert f"{due.day} {due:%B %Y}" in in_english.body


def test_an_officer_without_a_saved_language_is_emailed_in_arabic(
    people, course, moi, django_capture_on_commit_callbacks
):
    from tests.courses.conftest import translate

    arabic = translate(course, "ar", title="التعرّف على الضحايا")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assign(people, course, moi)

    assert mail.outbox
    assert all(arabic.title in m.subject for m in mail.outbox)


# --- Reminders -------------------------------------------------------------------


def test_reminder_command_reminds_each_officer_once_when_run_twice(people, course, moi):
    User.objects.filter(ministry=moi).update(language="en")
    assign(people, course, moi, due_date=in_days(5))
    mail.outbox.clear()
    first, second = io.StringIO(), io.StringIO()

    call_command("send_assignment_reminders", stdout=first)
    call_command("send_assignment_reminders", stdout=second)

    assert sorted(m.to[0] for m in mail.outbox) == [
        "ahmad@moi.gov.kw",
        "bader@moi.gov.kw",
    ]
    assert "Reminder" in mail.outbox[0].subject
    assert "2 reminders sent" in first.getvalue()
    assert "0 reminders sent" in second.getvalue()


def test_reminder_dry_run_counts_and_sends_nothing(people, course, moi):
    assign(people, course, moi, due_date=in_days(5))
    mail.outbox.clear()
    out = io.StringIO()

    call_command("send_assignment_reminders", "--dry-run", stdout=out)

    assert mail.outbox == []
    assert "2 reminders would be sent" in out.getvalue()
    assert not Enrolment.objects.filter(due_reminder_sent_at__isnull=False).exists()


def test_no_reminder_for_completed_courses_or_due_dates_beyond_the_window(
    people, course, moi
):
    assign(people, course, moi, due_date=in_days(20))
    done = Enrolment.objects.get(user=people["police1"])
    Enrolment.objects.filter(pk=done.pk).update(
        completed_at=timezone.now(), due_date=in_days(2)
    )
    mail.outbox.clear()

    assert services.send_assignment_reminders() == 0
    assert services.send_assignment_reminders(days=30) == 1
    assert [m.to[0] for m in mail.outbox] == ["bader@moi.gov.kw"]


def test_reminder_command_refuses_a_negative_window():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--days"):
        call_command("send_assignment_reminders", "--days", "-1")


# --- Compliance -------------------------------------------------------------------


@pytest.fixture
def five_states(moi, course):
    """An assignment of five officers, one in each compliance category."""
    focal = UserFactory(ministry=moi, role=roles.FOCAL_POINTS, cadre=Cadre.OTHER)
    names = ["on_time", "late", "overdue", "in_progress", "not_started"]
    officers = {
        name: UserFactory(ministry=moi, full_name_en=f"Officer {name}")
        for name in names
    }
    result = services.assign_course(
        by=focal,
        course=course,
        ministry=moi,
        audience=AssignmentAudience.CADRE,
        cadre=Cadre.POLICE,
        due_date=in_days(10),
    )
    now = timezone.now()

    def update(name, **values):
        Enrolment.objects.filter(user=officers[name]).update(**values)

    update("on_time", started_at=now, completed_at=now)
    update("late", started_at=now, completed_at=now, due_date=in_days(-3))
    update("overdue", started_at=now, due_date=in_days(-1))
    update("in_progress", started_at=now)
    return result.assignment, focal


def test_compliance_counts_each_category(five_states, moi):
    assignment, _focal = five_states

    row = stats.assignment_compliance(Scope.ministry(moi.pk))[assignment.pk]

    assert (
        row.assigned,
        row.on_time,
        row.late,
        row.overdue,
        row.in_progress,
        row.not_started,
    ) == (5, 1, 1, 1, 1, 1)


def test_each_officers_status_agrees_with_the_compliance_counts(five_states, moi):
    assignment, _focal = five_states

    rows = stats.assignment_officers(Scope.ministry(moi.pk), assignment.pk)

    assert {e.user.full_name_en: e.compliance_status for e in rows} == {
        f"Officer {s}": s
        for s in ["on_time", "late", "overdue", "in_progress", "not_started"]
    }


# --- Admin: the form ------------------------------------------------------------


def form_data(course, **values):
    return {
        "course": course.pk,
        "audience": AssignmentAudience.CADRE,
        "cadre": Cadre.POLICE,
        "emails": "",
        "due_date": in_days(30).isoformat(),
        "message": "",
    } | values


def test_form_page_has_its_heading_and_labelled_fields(client, people, course):
    client.force_login(people["focal"])

    response = client.get(reverse(ADD))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in body and "Assign a course" in body
    labels = {
        "course": "Course",
        "cadre": "Cadre",
        "emails": "E-mail addresses",
        "csv_file": "Or upload a CSV file of addresses",
        "due_date": "Due date",
        "audience_1": "Officers of one cadre",
    }
    for field, label in labels.items():
        assert f'for="id_{field}"' in body and label in body
    assert 'type="radio"' in body
    assert "Ministry of Interior" in body  # the focal point's own ministry
    assert 'name="ministry"' not in body


def test_focal_point_assigns_a_cadre_through_the_form(
    client, people, course, django_capture_on_commit_callbacks
):
    client.force_login(people["focal"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(ADD), form_data(course), follow=True)

    assert response.status_code == 200
    assert "assigned to 2 officers" in response.content.decode()
    assert enrolled_emails(course) == {"ahmad@moi.gov.kw", "bader@moi.gov.kw"}
    assert len(mail.outbox) == 2


def test_form_lists_addresses_that_were_not_assigned(client, people, course):
    client.force_login(people["focal"])
    data = form_data(
        course,
        audience=AssignmentAudience.LIST,
        emails="Ahmad@moi.gov.kw, eman@mofa.gov.kw\nnobody@moi.gov.kw",
    )

    response = client.post(reverse(ADD), data, follow=True)

    body = response.content.decode()
    assert "assigned to 1 officer" in body
    assert "2 addresses are not active officers of the ministry" in body
    assert "eman@mofa.gov.kw" in body and "nobody@moi.gov.kw" in body


def test_form_reads_addresses_pasted_from_an_email_program(client, people, course):
    client.force_login(people["focal"])
    data = form_data(
        course,
        audience=AssignmentAudience.LIST,
        emails='"Ahmad Police" <ahmad@moi.gov.kw>; Dana Diplomat <Dana@moi.gov.kw>',
    )

    response = client.post(reverse(ADD), data)

    assert response.status_code == 302
    assert enrolled_emails(course) == {"ahmad@moi.gov.kw", "dana@moi.gov.kw"}


def test_form_refuses_text_that_is_not_an_address(client, people, course):
    client.force_login(people["focal"])
    data = form_data(
        course, audience=AssignmentAudience.LIST, emails="ahmad@moi.gov.kw, ahmad"
    )

    response = client.post(reverse(ADD), data)

    assert response.status_code == 400
    assert "These are not e-mail addresses: ahmad" in response.content.decode()
    assert not Assignment.objects.exists()


def csv_upload(text, name="officers.csv", content_type="text/csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_form_assigns_the_officers_of_an_uploaded_csv_email_column(
    client, people, course
):
    client.force_login(people["focal"])
    upload = csv_upload(
        "Name;E-mail address\nAhmad;AHMAD@moi.gov.kw\nDana;dana@moi.gov.kw\n"
    )
    data = form_data(course, audience=AssignmentAudience.LIST, csv_file=upload)

    response = client.post(reverse(ADD), data)

    assert response.status_code == 302
    assert enrolled_emails(course) == {"ahmad@moi.gov.kw", "dana@moi.gov.kw"}


def test_form_reads_a_csv_of_one_address_per_line(client, people, course):
    client.force_login(people["focal"])
    upload = csv_upload("\ufeffbader@moi.gov.kw\r\ndana@moi.gov.kw\r\n")
    data = form_data(course, audience=AssignmentAudience.LIST, csv_file=upload)

    response = client.post(reverse(ADD), data)

    assert response.status_code == 302
    assert enrolled_emails(course) == {"bader@moi.gov.kw", "dana@moi.gov.kw"}


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (csv_upload(b"%PDF-1.7 ...", name="list.pdf"), "Upload a CSV file"),
        (csv_upload(b"PK\x03\x04\x00\x00binary"), "could not be read"),
        (csv_upload(b"\xff\xfe\xfa not utf-8"), "could not be read"),
        (csv_upload("name,phone\nAhmad,123\n"), 'column named "email"'),
        (csv_upload("a" * (1024 * 1024 + 1)), "larger than 1 MB"),
    ],
    ids=["pdf", "binary", "not-utf8", "no-email-column", "too-large"],
)
def test_form_refuses_a_bad_upload_with_a_message_and_saves_nothing(
    client, people, course, upload, message
):
    client.force_login(people["focal"])
    data = form_data(
        course,
        audience=AssignmentAudience.LIST,
        emails="ahmad@moi.gov.kw",
        csv_file=upload,
    )

    response = client.post(reverse(ADD), data)

    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert message in body
    assert "ahmad@moi.gov.kw" in body  # the pasted list is kept
    assert not Assignment.objects.exists()
    assert not Enrolment.objects.exists()


def test_form_refuses_a_past_due_date_with_a_message(client, people, course):
    client.force_login(people["focal"])

    response = client.post(
        reverse(ADD), form_data(course, due_date=in_days(-1).isoformat())
    )

    assert response.status_code == 400
    assert "The due date must be in the future." in response.content.decode()
    assert not Assignment.objects.exists()


def test_form_requires_a_cadre_when_assigning_to_a_cadre(client, people, course):
    client.force_login(people["focal"])

    response = client.post(reverse(ADD), form_data(course, cadre=""))

    assert response.status_code == 400
    assert "Choose the cadre the course is for." in response.content.decode()


def test_form_offers_only_published_courses(client, people, make_course):
    live = make_course("Live course")
    draft = make_course("Draft course")
    draft.unpublish()
    client.force_login(people["focal"])

    body = client.get(reverse(ADD)).content.decode()
    refused = client.post(reverse(ADD), form_data(draft))

    assert "Live course" in body and "Draft course" not in body
    assert refused.status_code == 400
    assert not Enrolment.objects.filter(course=live).exists()


def test_superuser_chooses_the_ministry(client, people, course, mofa):
    admin = UserFactory(ministry=None, is_superuser=True, email="admin@example.org")
    client.force_login(admin)

    response = client.post(reverse(ADD), form_data(course, ministry=mofa.pk))

    assert response.status_code == 302
    assert enrolled_emails(course) == {"eman@mofa.gov.kw"}


# --- Admin: who sees what -----------------------------------------------------------


@pytest.fixture
def two_assignments(people, course, moi, mofa):
    moi_assignment = assign(people, course, moi).assignment
    mofa_assignment = assign(people, course, mofa, by=people["mofa_focal"]).assignment
    return moi_assignment, mofa_assignment


def test_focal_point_lists_only_own_ministry_assignments(
    client, people, two_assignments
):
    moi_assignment, mofa_assignment = two_assignments
    client.force_login(people["focal"])

    response = client.get(reverse(INDEX))

    assignments = list(response.context["object_list"])
    assert response.status_code == 200
    assert assignments == [moi_assignment]
    assert assignments[0].compliance.not_started == 2


def test_focal_point_gets_404_for_another_ministrys_assignment(
    client, people, two_assignments
):
    _moi_assignment, mofa_assignment = two_assignments
    client.force_login(people["focal"])

    response = client.get(reverse("assignments:detail", args=[mofa_assignment.pk]))

    assert response.status_code == 404


def test_focal_point_sees_its_assignments_officers_and_their_status(
    client, people, two_assignments
):
    moi_assignment, _mofa = two_assignments
    Enrolment.objects.filter(user=people["police1"]).update(started_at=timezone.now())
    client.force_login(people["focal"])

    response = client.get(reverse("assignments:detail", args=[moi_assignment.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Ahmad Police" in body and "ahmad@moi.gov.kw" in body
    assert "In progress" in body and "Not started" in body
    assert "Eman MOFA" not in body
    for category in ("On time", "Late", "Overdue", "Not started"):
        assert category in body


def test_assignment_officers_export_as_csv(client, people, two_assignments):
    moi_assignment, _mofa = two_assignments
    client.force_login(people["focal"])

    response = client.get(
        reverse("assignments:detail", args=[moi_assignment.pk]), {"export": "csv"}
    )

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert {(r["E-mail"], r["Status"]) for r in rows} == {
        ("ahmad@moi.gov.kw", "Not started"),
        ("bader@moi.gov.kw", "Not started"),
    }


def test_committee_sees_every_ministry_but_may_not_assign(
    client, people, two_assignments, course
):
    client.force_login(people["committee"])

    listing = client.get(reverse(INDEX))
    detail = client.get(reverse("assignments:detail", args=[two_assignments[0].pk]))
    form = client.get(reverse(ADD))
    post = client.post(reverse(ADD), form_data(course))

    assert set(listing.context["object_list"]) == set(two_assignments)
    assert detail.status_code == 200
    assert refused(form) and refused(post)
    assert Assignment.objects.count() == 2


@pytest.mark.parametrize("who", ["trainer", "police1"])
def test_trainers_and_officers_cannot_reach_assignments(
    client, people, two_assignments, course, who
):
    client.force_login(people[who])

    responses = [
        client.get(reverse(INDEX)),
        client.get(reverse("assignments:detail", args=[two_assignments[0].pk])),
        client.get(reverse(ADD)),
        client.post(reverse(ADD), form_data(course)),
    ]

    for response in responses:
        assert refused(response)
        assert b"Ahmad Police" not in response.content
    assert Assignment.objects.count() == 2


def test_listing_queries_do_not_grow_with_the_number_of_assignments(
    client, people, course, moi, django_assert_max_num_queries
):
    client.force_login(people["focal"])
    assign(people, course, moi)
    client.get(reverse(INDEX))  # warm caches (content types, site)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(INDEX))
    for _n in range(5):
        assign(people, course, moi)

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse(INDEX))

    assert len(response.context["object_list"]) == 6


def test_detail_queries_do_not_grow_with_the_number_of_officers(
    client, people, course, moi, django_assert_max_num_queries
):
    client.force_login(people["focal"])
    assignment = assign(people, course, moi).assignment
    url = reverse("assignments:detail", args=[assignment.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        UserFactory(ministry=moi, email=f"more{n}@moi.gov.kw")
    assign(people, course, moi)  # re-dates the two, enrols the ten
    Enrolment.objects.update(assignment=assignment)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert response.context["items_count"] == 12


def test_menu_shows_assignments_to_focal_points(client, people):
    client.force_login(people["focal"])

    body = client.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse(INDEX) in body and reverse(ADD) in body


# --- The officer's dashboard -----------------------------------------------------


def test_dashboard_says_the_course_was_assigned_with_its_due_date(
    client, people, course, moi
):
    assign(people, course, moi)
    client.force_login(people["police1"])

    body = client.get("/dashboard/").content.decode()

    due = in_days(30)
    assert "Assigned by your ministry" in body
    assert f'due <time datetime="{due:%Y-%m-%d}">{due.day} {due:%B %Y}</time>' in body


def test_assignment_renews_exactly_what_enrol_renews(people, course, moi):
    """Decided: one renewal rule (``Enrolment.can_renew``), applied by ``enrol`` and
    by an assignment alike. An expired current certificate starts a new cycle; a
    completed course whose certificate was revoked (no current one) does not."""
    done_at = timezone.now() - timedelta(days=800)
    expired = enrol(people["police1"], course)
    revoked = enrol(people["police2"], course)
    Enrolment.objects.filter(pk=expired.pk).update(
        started_at=done_at,
        completed_at=done_at,
        certificate_issued_at=done_at,
        certificate_expires_at=done_at + timedelta(days=365),
    )
    Enrolment.objects.filter(pk=revoked.pk).update(
        started_at=done_at, completed_at=done_at
    )
    expired.refresh_from_db()
    revoked.refresh_from_db()
    assert expired.can_renew and not revoked.can_renew
    assert set(Enrolment.objects.renewable()) == {expired}

    result = assign(people, course, moi)

    assert result.already_completed == 1  # police2, as enrol would leave it
    assert result.enrolled == 1  # police1, a new cycle
    renewal = Enrolment.objects.get(user=people["police1"], course=course, cycle=2)
    assert renewal.source == EnrolmentSource.ASSIGNED
    assert renewal.assignment == result.assignment
    assert not Enrolment.objects.filter(user=people["police2"], cycle=2).exists()
    assert enrol(people["police2"], course) == revoked
