"""The quiz engine's move from courses to quizzes (issue 12) on a database that already
holds quiz pages, revisions and attempts: migrated back to the last courses migration
before the move, rows written with the models of that time (content types
``courses.*``), migrated forward; the same rows are read through the quizzes models
and the content type rows kept their ids."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from wagtail.models import Page, Revision

from quizzes.models import AttemptQuestion, Question, QuizAttempt, QuizPage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE_THE_MOVE = [
    ("courses", "0013_quizpage_name_wrong_questions_early"),
    ("quizzes", None),
]


@pytest.fixture(autouse=True)
def _warm_content_type_cache():
    """The migrations clear the ContentType cache (rows were renamed). Warm it again
    afterwards, as the test database's creation left it: the next transactional
    test restores its rows with signals that look content types up, and a cold cache
    would make them create rows the restore then collides with."""
    yield
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(
        [target for target in targets if target[1] is not None]
    ).apps


def _child_path(parent) -> str:
    # Below the last child, as treebeard would number it (historical models have
    # no tree methods).
    last = (
        type(parent)
        .objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    if last is None:
        return parent.path + "0001"
    number, digits = int(last[-4:], 36) + 1, ""
    for _position in range(4):
        number, digit = divmod(number, 36)
        digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[digit] + digits
    return parent.path + digits


def _historical_page(apps, model_name, parent, title, **fields):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    model = apps.get_model("courses", model_name)
    content_type, _created = content_type_model.objects.get_or_create(
        app_label="courses", model=model_name.lower()
    )
    page = model.objects.create(
        title=title,
        draft_title=title,
        slug=title.lower().replace(" ", "-"),
        path=_child_path(parent),
        depth=parent.depth + 1,
        url_path=f"{parent.url_path}{title.lower().replace(' ', '-')}/",
        content_type_id=content_type.pk,
        locale_id=parent.locale_id,
        live=True,
        **fields,
    )
    page_model = apps.get_model("wagtailcore", "Page")
    page_model.objects.filter(pk=parent.pk).update(numchild=parent.numchild + 1)
    return page, content_type


def test_quiz_rows_and_content_types_survive_the_move():
    leaf_targets = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old_apps = _migrate(BEFORE_THE_MOVE)
    ContentType.objects.clear_cache()

    page_model = old_apps.get_model("wagtailcore", "Page")
    root = page_model.objects.get(depth=1)
    course, _course_type = _historical_page(
        old_apps,
        "CoursePage",
        root,
        "Migration course",
        summary="s",
        learning_objectives="<p>o</p>",
    )
    quiz, quiz_type = _historical_page(
        old_apps, "QuizPage", course, "Migration quiz", pass_mark=60
    )
    revision = old_apps.get_model("wagtailcore", "Revision").objects.create(
        content_type_id=quiz_type.pk,
        base_content_type_id=old_apps.get_model("contenttypes", "ContentType")
        .objects.get(app_label="wagtailcore", model="page")
        .pk,
        object_id=str(quiz.pk),
        content={"title": "Migration quiz", "pk": quiz.pk},
        object_str="Migration quiz",
        created_at=timezone.now(),
    )
    question = old_apps.get_model("courses", "Question").objects.create(
        kind="single", text="<p>Which?</p>", points=2
    )
    old_apps.get_model("courses", "QuizQuestion").objects.create(
        quiz_id=quiz.pk, question=question, sort_order=0
    )
    user = get_user_model().objects.create_user(
        email="migration@example.org", password="x"
    )
    enrolment = old_apps.get_model("courses", "Enrolment").objects.create(
        user_id=user.pk, course_id=course.pk
    )
    attempt = old_apps.get_model("courses", "QuizAttempt").objects.create(
        user_id=user.pk,
        quiz_id=quiz.pk,
        enrolment_id=enrolment.pk,
        number=1,
        status="scored",
        submitted_at=timezone.now(),
        percent=100,
        passed=True,
        pass_mark=60,
        partial_credit=False,
    )
    old_apps.get_model("courses", "AttemptQuestion").objects.create(
        attempt=attempt,
        question=question,
        position=1,
        kind="single",
        text="<p>Which?</p>",
        points=2,
        awarded=2,
    )
    question_type_id = (
        old_apps.get_model("contenttypes", "ContentType")
        .objects.get(app_label="courses", model="question")
        .pk
    )

    _migrate(leaf_targets)
    ContentType.objects.clear_cache()

    moved = ContentType.objects.get(pk=quiz_type.pk)
    assert (moved.app_label, moved.model) == ("quizzes", "quizpage")
    assert ContentType.objects.get(pk=question_type_id).app_label == "quizzes"
    assert not ContentType.objects.filter(
        app_label="courses", model__in=["quizpage", "question", "quizattempt"]
    ).exists()

    page = Page.objects.get(pk=quiz.pk)
    assert page.specific_class is QuizPage
    assert isinstance(page.specific, QuizPage)
    assert page.specific.pass_mark == 60
    assert QuizPage.objects.child_of(Page.objects.get(pk=course.pk)).get().pk == quiz.pk
    assert isinstance(Revision.objects.get(pk=revision.pk).content_object, QuizPage)

    assert Question.objects.get(pk=question.pk).quiz_uses.get().quiz_id == quiz.pk
    moved_attempt = QuizAttempt.objects.get(pk=attempt.pk)
    assert (moved_attempt.quiz_id, moved_attempt.passed) == (quiz.pk, True)
    assert moved_attempt.enrolment_id == enrolment.pk
    assert AttemptQuestion.objects.get(attempt=moved_attempt).awarded == 2
