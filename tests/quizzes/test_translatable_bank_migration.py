"""The bank becomes translatable on a database that already holds topics,
questions and choices: migrated back to before it, rows written with the models of
that time, migrated forward; every row is English (the source locale) with a
translation key of its own."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from courses.models import Topic
from quizzes.models import Choice, Question
from tests.quizzes.test_quiz_app_migration import (  # noqa: F401 - fixture
    _migrate,
    _warm_content_type_cache,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [
    ("courses", "0014_quiz_engine_moved_to_quizzes"),
    ("quizzes", "0002_content_types_from_courses"),
]


def test_existing_rows_become_english_with_their_own_translation_keys():
    leaf_targets = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old_apps = _migrate(BEFORE)
    old_topic = old_apps.get_model("courses", "Topic").objects.create(
        name="Old topic", slug="old-topic"
    )
    old_question = old_apps.get_model("quizzes", "Question").objects.create(
        kind="single", text="<p>Old question</p>", topic=old_topic
    )
    choice_model = old_apps.get_model("quizzes", "Choice")
    for n, text in enumerate(("Yes", "No")):
        choice_model.objects.create(
            question=old_question, text=text, is_correct=n == 0, sort_order=n
        )

    _migrate(leaf_targets)

    topic = Topic.objects.get(pk=old_topic.pk)
    question = Question.objects.get(pk=old_question.pk)
    choices = list(Choice.objects.filter(question=question))
    rows = [topic, question, *choices]
    assert {row.locale.language_code for row in rows} == {"en"}
    assert len({row.translation_key for row in rows}) == len(rows)
    assert question.topic == topic
    assert [c.text for c in sorted(choices, key=lambda c: c.sort_order)] == [
        "Yes",
        "No",
    ]
