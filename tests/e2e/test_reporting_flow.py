"""The MOI focal point opens the completion report, filters it by course, exports it
as XLSX, and assigns a course to the police officers of the ministry."""

from datetime import timedelta

import openpyxl
import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts import roles
from accounts.models import Cadre
from courses import services
from courses.models import Enrolment, EnrolmentSource
from tests.e2e.test_course_flow import sign_in
from tests.factories import UserFactory, staff_user


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_focal_point_reports_exports_and_assigns(
    page, moi, mofa, make_course, tmp_path
):
    identifying = make_course("Identifying victims", lessons=1)
    labour = make_course("Labour rights", lessons=1)
    police = [UserFactory(ministry=moi, cadre=Cadre.POLICE) for _ in range(2)]
    diplomat = UserFactory(ministry=moi, cadre=Cadre.DIPLOMAT)
    for officer in (police[0], diplomat):
        services.enrol(officer, identifying)
    done = services.enrol(police[0], labour)
    services.complete_lesson(done, services.lessons_of(labour)[0])
    services.enrol(UserFactory(ministry=mofa), identifying)  # another ministry
    focal = staff_user(
        roles.FOCAL_POINTS, ministry=moi, email="focal@moi.gov.kw", cadre=Cadre.OTHER
    )
    sign_in(page, focal.email)

    # The completion report, from the admin menu.
    page.goto("/admin/")
    page.get_by_role("button", name="Training reports").click()
    page.get_by_role("link", name="Completion by ministry and course").click()
    expect(
        page.get_by_role("heading", name="Completion by ministry and course")
    ).to_be_visible()
    results = page.locator("table.listing")
    expect(results).to_contain_text("Identifying victims")
    expect(results).to_contain_text("Labour rights")
    expect(results).not_to_contain_text("MOFA")

    # Filter by course: the listing updates in place.
    page.get_by_role("button", name="Show filters").click()
    page.get_by_role("button", name="Course", exact=True).click()
    page.get_by_label("Course", exact=True).select_option(label="Labour rights")
    expect(results).not_to_contain_text("Identifying victims")
    expect(results).to_contain_text("Labour rights")

    # Export what is shown as XLSX.
    page.get_by_role("button", name="Actions").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download XLSX").click()
    saved = tmp_path / "completion.xlsx"
    download_info.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    rows = list(sheet.iter_rows(values_only=True))
    assert any("Completion rate" in str(heading) for heading in rows[0])
    courses = {row[rows[0].index("Course")] for row in rows[1:]}
    assert courses == {"Labour rights"}

    # Assign Identifying victims to the police cadre, due in a month.
    page.goto("/admin/")
    page.get_by_role("button", name="Training reports").click()
    page.get_by_role("link", name="Assign a course").click()
    expect(page.get_by_role("heading", name="Assign a course")).to_be_visible()
    page.get_by_role("combobox", name="Course").select_option(
        label="Identifying victims"
    )
    page.get_by_label("Officers of one cadre").check()
    page.get_by_role("combobox", name="Cadre").select_option(label="Police officer")
    due = timezone.localdate() + timedelta(days=30)
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Assign the course").click()
    expect(page.get_by_text("assigned", exact=False).first).to_be_visible()

    assigned = Enrolment.objects.filter(course=identifying, due_date=due)
    assert {e.user_id for e in assigned} == {p.pk for p in police}
    assert all(e.assignment_id for e in assigned)
    assert not Enrolment.objects.filter(
        user=diplomat, course=identifying, due_date__isnull=False
    ).exists()
    # One police officer was enrolled already (re-dated), the other is new.
    new = Enrolment.objects.filter(source=EnrolmentSource.ASSIGNED)
    assert [e.user_id for e in new] == [police[1].pk]
    assert {m.to[0] for m in mail.outbox} >= {p.email for p in police}
