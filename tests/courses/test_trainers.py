"""Trainers edit the course tree and nothing else; a second trainer approves."""

import pytest
from django.contrib.auth.models import Group
from django.test import TestCase
from wagtail.models import Page, Workflow
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from accounts import roles
from core.models import HomePage
from courses import workflow
from courses.models import (
    CourseIndexPage,
    CoursePage,
    LessonPage,
    SecondReviewerApprovalTask,
)
from quizzes.models import QuizPage
from tests.courses.conftest import lesson_body
from tests.factories import MinistryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(moi):
    return UserFactory(ministry=moi, role=roles.TRAINERS, email="t1@moi.gov.kw")


@pytest.fixture
def second_trainer(moi):
    return UserFactory(ministry=moi, role=roles.TRAINERS, email="t2@moi.gov.kw")


def test_trainers_may_edit_the_catalogue_and_its_courses(trainer, catalogue, course):
    assert catalogue.permissions_for_user(trainer).can_add_subpage()
    assert course.permissions_for_user(trainer).can_edit()
    lesson = LessonPage.objects.child_of(course).first()
    assert lesson.permissions_for_user(trainer).can_edit()


def test_trainers_may_not_edit_the_rest_of_the_site(trainer, home_page, catalogue):
    permissions = home_page.permissions_for_user(trainer)

    assert not permissions.can_edit()
    assert not permissions.can_add_subpage()


def test_trainers_do_not_publish_without_review(trainer, course):
    assert not course.permissions_for_user(trainer).can_publish()


def test_catalogue_is_under_the_content_review_workflow(catalogue, course):
    assert course.get_workflow() == Workflow.objects.get(name=workflow.WORKFLOW_NAME)


def test_a_trainer_cannot_approve_their_own_submission(trainer, second_trainer, course):
    revision = course.save_revision(user=trainer)
    state = course.get_workflow().start(course, trainer)
    course.refresh_from_db()
    task = SecondReviewerApprovalTask.objects.get()

    assert task.get_actions(course, trainer) == []
    assert [a[0] for a in task.get_actions(course, second_trainer)][:2] == [
        "reject",
        "approve",
    ]
    assert not task.get_task_states_user_can_moderate(trainer).exists()
    assert task.get_task_states_user_can_moderate(second_trainer).count() == 1
    assert state.current_task_state.revision == revision


def test_second_trainer_approval_publishes_the_course(trainer, second_trainer, course):
    course.title = "Reviewed title"
    course.save_revision(user=trainer)
    state = course.get_workflow().start(course, trainer)

    state.current_task_state.task.specific.on_action(
        state.current_task_state, second_trainer, "approve"
    )

    course.refresh_from_db()
    assert course.title == "Reviewed title"
    assert course.live


def test_trainer_opens_the_page_editor_of_a_lesson(client, trainer, course):
    client.force_login(trainer)
    lesson = LessonPage.objects.child_of(course).first()

    response = client.get(f"/admin/pages/{lesson.pk}/edit/")

    assert response.status_code == 200


def test_trainer_cannot_open_people_or_settings(client, trainer):
    client.force_login(trainer)

    assert client.get("/admin/officers/").status_code == 302
    assert client.get("/admin/settings/lms/sitesettings/").status_code == 302


def test_new_catalogue_page_gets_trainer_permissions(home_page):
    index = CourseIndexPage(title="Courses", slug="courses")
    home_page.add_child(instance=index)

    group = Group.objects.get(name=roles.TRAINERS)
    assert group.page_permissions.filter(page=index).count() == len(
        workflow.TRAINER_PAGE_PERMISSIONS
    )
    assert index.get_workflow().name == workflow.WORKFLOW_NAME


class PreviewTests(WagtailPageTestCase, TestCase):
    """Every page type can be previewed by editors."""

    @classmethod
    def setUpTestData(cls):
        root = Page.get_first_root_node()
        cls.home = HomePage(title="Home", slug="home-preview", hero_heading="Hello")
        root.add_child(instance=cls.home)
        cls.index = CourseIndexPage(title="Courses", slug="courses")
        cls.home.add_child(instance=cls.index)
        cls.course = CoursePage(
            title="Course",
            summary="Summary.",
            learning_objectives="<ul><li>Objective</li></ul>",
        )
        cls.index.add_child(instance=cls.course)
        cls.lesson = LessonPage(title="Lesson", body=lesson_body("Preview body."))
        cls.course.add_child(instance=cls.lesson)
        cls.quiz = QuizPage(title="Quiz")
        cls.course.add_child(instance=cls.quiz)
        MinistryFactory(code="MOI", domains=["moi.gov.kw"])

    def test_every_page_type_is_previewable(self):
        editor = UserFactory(is_superuser=True, ministry=None, email="ed@x.org")
        common = {"slug": "preview", "seo_title": "", "search_description": ""}
        cases = {
            self.home: {
                "title": "Home",
                "hero_heading": "Hello",
                "hero_text": "",
                "hero_image_alt": "",
                "introduction": rich_text("<p>Intro</p>"),
                "body": streamfield([]),
                "courses_heading": "Courses",
                "courses_intro": "",
            },
            self.index: {"title": "Courses", "introduction": rich_text("<p>All</p>")},
            self.course: {
                "title": "Course",
                "summary": "Summary.",
                "learning_objectives": rich_text("<ul><li>Objective</li></ul>"),
                "audiences": ["police"],
                "estimated_minutes": "30",
                "certificate_validity_months": "0",
                "hero_image_alt": "",
            },
            self.quiz: {
                "title": "Quiz",
                "introduction": rich_text("<p>Four questions.</p>"),
                "pass_mark": "70",
                "max_attempts": "3",
                "cooldown_minutes": "0",
                "time_limit_minutes": "0",
                "quiz_questions": inline_formset([]),
                "draw_count": "0",
                "shuffle_questions": "on",
                "feedback": "full",
            },
            self.lesson: {
                "title": "Lesson",
                "estimated_minutes": "15",
                "body": streamfield([("paragraph", rich_text("<p>Preview body.</p>"))]),
            },
        }
        for page, data in cases.items():
            with self.subTest(page=type(page).__name__):
                self.assertPageIsPreviewable(
                    page, post_data=nested_form_data({**common, **data}), user=editor
                )
