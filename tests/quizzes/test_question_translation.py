"""A trainer translates a question of the bank with wagtail-localize: the bank is a
snippet, so its listing offers "Translate" and the submit view copies the question
with its choices into Arabic."""

import pytest
from django.urls import reverse
from wagtail.models import Locale

from accounts import roles
from quizzes.admin import question_url
from quizzes.models import Choice, Question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_client(client, moi):
    client.force_login(UserFactory(ministry=moi, role=roles.TRAINERS))
    return client


@pytest.fixture
def question():
    question = Question.objects.create(kind="single", text="<p>Which is a means?</p>")
    Choice.objects.create(question=question, text="Deception", is_correct=True)
    Choice.objects.create(question=question, text="Consent", is_correct=False)
    return question


def submit_url(question):
    return reverse(
        "wagtail_localize:submit_snippet_translation",
        args=["quizzes", "question", question.pk],
    )


def test_the_bank_keeps_its_admin_address():
    assert question_url("list") == "/admin/questions/"
    assert question_url("add") == "/admin/questions/new/"


def test_the_trainer_sees_translate_for_an_english_question(trainer_client, question):
    response = trainer_client.get(question_url("list"))

    assert response.status_code == 200
    content = response.content.decode()
    assert submit_url(question) in content
    assert "Translate &#x27;Which is a means?&#x27;" in content


def test_submitting_for_arabic_creates_the_question_with_its_choices(
    trainer_client, question
):
    arabic = Locale.objects.get(language_code="ar")

    response = trainer_client.post(submit_url(question), {"locales": [arabic.pk]})

    translated = Question.objects.get(locale=arabic)
    assert response.status_code == 302
    assert response.url == question_url("edit", translated.pk)
    assert translated.translation_key == question.translation_key
    source_keys = {c.translation_key: c.is_correct for c in question.choices.all()}
    assert {
        c.translation_key: c.is_correct for c in translated.choices.all()
    } == source_keys
    assert all(c.locale == arabic for c in translated.choices.all())
    # The translated question opens in wagtail-localize's translation editor.
    editor = trainer_client.get(question_url("edit", translated.pk))
    assert editor.status_code == 200
    assert b'class="js-translation-editor"' in editor.content


def test_an_english_edit_is_offered_for_sync(trainer_client, question):
    arabic = Locale.objects.get(language_code="ar")
    trainer_client.post(submit_url(question), {"locales": [arabic.pk]})
    question.text = "<p>Which is a means of trafficking?</p>"
    question.save()

    listing = trainer_client.get(question_url("list"), {"locale": "en"})

    assert "Sync translated snippets" in listing.content.decode()
