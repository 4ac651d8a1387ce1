"""The demo courses in fixtures/courses/: the files are complete and well formed,
every course can be completed and its quiz passed with the answer key kept beside
the content, and loading them again updates what changed and duplicates nothing."""

import re
import shutil

import pytest
import yaml
from django.core.management import call_command
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Page

from accounts.models import User
from certificates.models import Certificate
from courses import services
from courses.models import CoursePage, Enrolment, LessonPage
from demo.courses import (
    CONTENT_DIR,
    MEDIA_DIR,
    ContentError,
    load_demo_courses,
    read_course_content,
)
from quizzes import services as quiz_services
from quizzes.models import Question, QuestionKind, QuizPage
from tests.factories import UserFactory

CONTENT = read_course_content()
COURSES = CONTENT.courses
LESSONS = [(c.slug, lesson) for c in COURSES for lesson in c.lessons]
QUESTIONS = [(c.slug, q) for c in COURSES for q in c.quiz.questions]
# Words that show an explanation names where its answer comes from.
SOURCE_MARKERS = (
    "Source",
    "Protocol",
    "Convention",
    "Law No.",
    "ILO",
    "UNODC",
    "OHCHR",
    "WHO",
    "UNICEF",
    "OSCE",
    "Trafficking in Persons Report",
)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The content and named accounts, without generated officers, loaded once for
    the module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--no-officers", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    pass


# --- The fixture files --------------------------------------------------------------


def test_there_are_three_courses_of_three_or_four_lessons():
    assert [c.values["title"] for c in COURSES] == [
        "Identifying victims of trafficking",
        "Gender- and child-sensitive assistance and protection",
        "Labour rights of migrant and domestic workers",
    ]
    for course in COURSES:
        assert 3 <= len(course.lessons) <= 4


def test_course_two_is_for_police_shelter_staff_and_diplomats():
    assert set(COURSES[1].values["audiences"]) == {
        "police",
        "shelter_staff",
        "diplomat",
    }
    assert COURSES[0].values["audiences"] == []
    assert COURSES[2].values["audiences"][0] == "labour_inspector"


@pytest.mark.parametrize("course", COURSES, ids=lambda c: c.slug)
def test_each_quiz_has_at_least_ten_questions_of_two_kinds_and_draws_eight(course):
    questions = course.quiz.questions

    assert len(questions) >= 10
    assert len({q.kind for q in questions}) >= 2
    assert course.quiz.values["draw_count"] == 8


@pytest.mark.parametrize(
    ("course", "question"), QUESTIONS, ids=[q.key for _, q in QUESTIONS]
)
def test_every_question_has_an_answer_and_an_explanation_citing_a_source(
    course, question
):
    assert question.correct
    assert question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, "true_false")
    if question.kind != QuestionKind.MULTIPLE:
        assert len(question.correct) == 1
    assert len(question.explanation) > 40
    assert any(marker in question.explanation for marker in SOURCE_MARKERS)


@pytest.mark.parametrize(("course", "lesson"), LESSONS, ids=[s for s, _ in LESSONS])
def test_every_lesson_lists_its_sources(course, lesson):
    assert lesson.sources
    assert all(len(source) > 20 for source in lesson.sources)


@pytest.mark.parametrize("course", COURSES, ids=lambda c: c.slug)
def test_every_course_uses_checklists_and_case_scenarios(course):
    kinds = {next(iter(item)) for lesson in course.lessons for item in lesson.blocks}

    assert {"checklist", "scenario", "callout"} <= kinds


def test_scenarios_are_set_where_each_audience_meets_victims():
    settings = " ".join(
        item["scenario"].get("setting", "").lower()
        for _, lesson in LESSONS
        for item in lesson.blocks
        if "scenario" in item
    )

    for place in (
        "visa interview",
        "police raid",
        "shelter intake",
        "labour complaint",
    ):
        assert place in settings


def test_unverified_items_are_labelled_not_left_as_brief_markers():
    text = "".join(
        path.read_text(encoding="utf-8") for path in CONTENT_DIR.rglob("*.yaml")
    )

    assert "[unverified]" not in text.lower()
    assert "to be confirmed" in text
    # The 2025 TIP tier is unconfirmed in the brief: the lessons leave it out.
    assert "Tier" not in text


def test_every_diagram_exists_and_has_alternative_text():
    images = [
        item["image"]
        for _, lesson in LESSONS
        for item in lesson.blocks
        if "image" in item
    ]

    assert len(images) >= 5
    for image in images:
        svg = (MEDIA_DIR / image["file"]).read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "<title" in svg
        assert len(image["alt"]) > 40


def test_a_malformed_quiz_is_refused_with_the_file_named(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(CONTENT_DIR, root)
    quiz = root / COURSES[0].slug / "quiz.yaml"
    data = yaml.safe_load(quiz.read_text(encoding="utf-8"))
    data["questions"] = data["questions"][:9]
    quiz.write_text(yaml.safe_dump(data), encoding="utf-8")

    with pytest.raises(ContentError, match="quiz.yaml: a quiz needs at least 10"):
        read_course_content(root)


# --- Loaded ---------------------------------------------------------------------


def test_every_lesson_opens_with_the_demonstration_note_and_ends_with_sources(demo):
    for lesson in LessonPage.objects.live().filter(locale__language_code="en"):
        blocks = list(lesson.body)
        assert blocks[0].block_type == "callout"
        assert blocks[0].value["title"] == "Demonstration material"
        assert blocks[-2].value["text"] == "Sources"
        assert "<li>" in blocks[-1].value.source


def _take_course(user: User, course: CoursePage, spec) -> Enrolment:
    key = {q.html_text: set(q.correct_choices) for q in spec.quiz.questions}
    enrolment = services.enrol(user, course)
    for lesson in services.lessons_of(course):
        services.complete_lesson(enrolment, lesson)
    quiz = quiz_services.quiz_of(course)
    attempt = quiz_services.start_attempt(user, quiz)
    answers = [
        quiz_services.Answer(
            question.pk,
            tuple(c.pk for c in question.choices.all() if c.text in key[question.text]),
        )
        for question in attempt.questions.prefetch_related("choices")
    ]
    attempt = quiz_services.submit_attempt(attempt.pk, user, answers)
    assert attempt.questions.count() == 8
    assert attempt.passed and attempt.percent == 100
    enrolment.refresh_from_db()
    return enrolment


@pytest.mark.parametrize("number", [0, 1, 2])
def test_every_course_is_passed_with_the_answer_key(
    demo, number, django_capture_on_commit_callbacks
):
    spec = COURSES[number]
    course = CoursePage.objects.published().get(slug=spec.slug)
    officer = UserFactory(cadre="police")

    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _take_course(officer, course, spec)

    assert enrolment.completed_at is not None
    assert Certificate.objects.get(enrolment=enrolment).course_title == course.title


def test_quiz_questions_in_the_bank_match_the_answer_key(demo):
    for spec in COURSES:
        course = CoursePage.objects.published().get(slug=spec.slug)
        quiz = QuizPage.objects.child_of(course).live().get()
        listed = [qq.question for qq in quiz.quiz_questions.order_by("sort_order")]
        assert [q.text for q in listed] == [q.html_text for q in spec.quiz.questions]
        for question, row in zip(listed, spec.quiz.questions, strict=True):
            choices = list(question.choices.order_by("sort_order"))
            assert [c.text for c in choices if c.is_correct] == list(
                row.correct_choices
            )


def test_without_officers_only_content_and_named_accounts_are_loaded(demo):
    assert CoursePage.objects.published().count() == 3
    assert User.objects.count() == 9
    assert not Enrolment.objects.exists()


def test_loading_changed_content_updates_it_and_duplicates_nothing(demo, tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(CONTENT_DIR, root)
    lesson_file = root / COURSES[0].slug / COURSES[0].lessons[0].path.name
    lesson_file.write_text(
        lesson_file.read_text(encoding="utf-8").replace(
            'title: "What trafficking is: act, means and purpose"',
            'title: "What trafficking is: the three elements"',
        ),
        encoding="utf-8",
    )
    quiz_file = root / COURSES[0].slug / "quiz.yaml"
    quiz_file.write_text(
        quiz_file.read_text(encoding="utf-8").replace(
            "Which of these is NOT one of the eleven ILO indicators",
            "Which of these is not among the eleven ILO indicators",
        ),
        encoding="utf-8",
    )
    before = (
        Page.objects.count(),
        Question.objects.count(),
        get_image_model().objects.count(),
    )
    home = Page.objects.get(slug="home")

    load_demo_courses(read_course_content(root), home)

    after = (
        Page.objects.count(),
        Question.objects.count(),
        get_image_model().objects.count(),
    )
    assert after == before
    assert (
        LessonPage.objects.live()
        .filter(title="What trafficking is: the three elements")
        .exists()
    )
    assert Question.objects.filter(
        text__contains="not among the eleven ILO indicators"
    ).exists()
    assert not Question.objects.filter(text__contains="NOT one of the eleven").exists()


def test_a_changed_diagram_replaces_the_image_file(demo, tmp_path, monkeypatch):
    from demo import courses as demo_module

    media = tmp_path / "media"
    shutil.copytree(MEDIA_DIR, media)
    svg = media / "act-means-purpose.svg"
    svg.write_text(
        re.sub("three elements</text>", "three parts</text>", svg.read_text()),
        encoding="utf-8",
    )
    monkeypatch.setattr(demo_module, "MEDIA_DIR", media)
    image = get_image_model().objects.get(
        title="The three elements of trafficking in persons"
    )
    old_hash = image.file_hash

    load_demo_courses(read_course_content(), Page.objects.get(slug="home"))

    image.refresh_from_db()
    assert image.file_hash != old_hash
    assert get_image_model().objects.filter(title=image.title).count() == 1
