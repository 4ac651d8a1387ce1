"""The question bank in two languages, one record: an attempt begun from the Arabic
quiz page is an attempt at the source quiz, with the source's rules and draw, the
texts frozen in Arabic, and a score that does not depend on the language."""

import pytest
from wagtail.models import Locale

from accounts import roles
from courses import services
from quizzes import services as quiz_services
from quizzes import stats
from quizzes.models import Choice, Question, QuizAttempt
from tests.courses.conftest import right_answers, wrong_answers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def arabic():
    return Locale.objects.get(language_code="ar")


def translate_question(question, arabic):
    translated = question.copy_for_translation(arabic)
    translated.text = f"<p>سؤال {question.pk}</p>"
    translated.explanation = "<p>شرح</p>"
    translated.save()
    for choice in Choice.objects.filter(question=translated):
        choice.text = f"خيار {choice.text}"
        choice.save()
    return translated


@pytest.fixture
def quiz(course, make_quiz):
    return make_quiz(course, max_attempts=2)


@pytest.fixture
def arabic_quiz(quiz, arabic):
    """The quiz translated: page (with its course) and every question."""
    for listed in quiz.quiz_questions.all():
        translate_question(listed.question, arabic)
    page = quiz.copy_for_translation(arabic, copy_parents=True)
    page.save_revision().publish()
    return page.specific


@pytest.fixture
def enrolled(officer, course):
    return services.enrol(officer, course)


def test_an_attempt_from_the_arabic_page_is_an_attempt_at_the_source_quiz(
    officer, quiz, arabic_quiz, enrolled
):
    attempt = quiz_services.start_attempt(officer, arabic_quiz, language="ar")

    assert attempt.quiz_id == quiz.pk
    assert attempt.enrolment == enrolled
    assert attempt.language == "ar"
    assert attempt.pass_mark == quiz.pass_mark
    assert all(q.question.locale.language_code == "en" for q in attempt.questions.all())


def test_the_arabic_attempt_freezes_the_arabic_texts(
    officer, quiz, arabic_quiz, enrolled
):
    attempt = quiz_services.start_attempt(officer, arabic_quiz, language="ar")

    for asked in attempt.questions.prefetch_related("choices"):
        assert asked.text == f"<p>سؤال {asked.question_id}</p>"
        assert asked.explanation == "<p>شرح</p>"
        for choice in asked.choices.all():
            assert choice.text == f"خيار {choice.choice.text}"
            assert choice.choice.locale.language_code == "en"
            assert choice.is_correct == choice.choice.is_correct


def test_an_untranslated_question_falls_back_to_the_source_text(
    officer, quiz, enrolled, arabic
):
    page = quiz.copy_for_translation(arabic, copy_parents=True)
    page.save_revision().publish()

    attempt = quiz_services.start_attempt(officer, page.specific, language="ar")

    assert [q.text for q in attempt.questions.order_by("question_id")] == [
        q.text
        for q in Question.objects.filter(locale__language_code="en").order_by("pk")
    ]


def test_the_frozen_text_stays_when_the_translation_changes_later(
    officer, quiz, arabic_quiz, enrolled, arabic
):
    attempt = quiz_services.start_attempt(officer, arabic_quiz, language="ar")
    Question.objects.filter(locale=arabic).update(text="<p>نص جديد</p>")

    assert not attempt.questions.filter(text="<p>نص جديد</p>").exists()


def test_scoring_is_the_same_in_both_languages(quiz, arabic_quiz, course):
    scores = {}
    for language in ("en", "ar"):
        officer = UserFactory()
        services.enrol(officer, course)
        page = arabic_quiz if language == "ar" else quiz
        first = quiz_services.start_attempt(officer, page, language=language)
        wrong = quiz_services.submit_attempt(first.pk, officer, wrong_answers(first))
        second = quiz_services.start_attempt(officer, page, language=language)
        right = quiz_services.submit_attempt(second.pk, officer, right_answers(second))
        scores[language] = (wrong.percent, wrong.passed, right.percent, right.passed)

    assert scores["ar"] == scores["en"]
    assert scores["ar"][3] is True


def test_attempts_in_either_language_share_the_limit(
    officer, quiz, arabic_quiz, enrolled
):
    first = quiz_services.start_attempt(officer, quiz, language="en")
    quiz_services.submit_attempt(first.pk, officer, wrong_answers(first))
    second = quiz_services.start_attempt(officer, arabic_quiz, language="ar")
    quiz_services.submit_attempt(second.pk, officer, wrong_answers(second))

    assert second.number == 2
    with pytest.raises(quiz_services.QuizRefused, match="used all your attempts"):
        quiz_services.start_attempt(officer, arabic_quiz, language="ar")


def test_the_open_attempt_is_continued_from_the_other_language(
    officer, quiz, arabic_quiz, enrolled
):
    started = quiz_services.start_attempt(officer, arabic_quiz, language="ar")

    again = quiz_services.start_attempt(officer, quiz, language="en")

    assert again.pk == started.pk
    assert again.language == "ar"  # shown as it was frozen


def test_only_source_questions_are_drawn(officer, quiz, arabic_quiz, enrolled, topic):
    Question.objects.update(topic=topic)
    quiz.draw_count = 2
    quiz.save()
    quiz.draw_topics.set([topic])
    quiz.save_revision().publish()

    attempt = quiz_services.start_attempt(officer, arabic_quiz, language="ar")

    assert {q.question.locale.language_code for q in attempt.questions.all()} == {"en"}


def test_question_statistics_show_the_facility_per_language(
    quiz, arabic_quiz, course, django_assert_max_num_queries
):
    for language, answers in (("ar", wrong_answers), ("en", right_answers)):
        officer = UserFactory()
        services.enrol(officer, course)
        page = arabic_quiz if language == "ar" else quiz
        attempt = quiz_services.start_attempt(officer, page, language=language)
        quiz_services.submit_attempt(attempt.pk, officer, answers(attempt))

    with django_assert_max_num_queries(2):
        rows = stats.question_summaries(QuizAttempt.objects.all())

    choice_rows = [r for r in rows if r.kind != "essay"]
    assert all(r.facility_ar == 0 and r.facility_en == 100 for r in choice_rows)
    assert all(r.language_gap == 100 for r in choice_rows)
    only_arabic = stats.question_summaries(QuizAttempt.objects.filter(language="ar"))
    assert all(r.facility_en is None and r.times_asked == 1 for r in only_arabic)


def test_the_question_listing_shows_and_filters_the_language(
    client, moi, quiz, arabic_quiz
):
    trainer = UserFactory(ministry=moi, role=roles.TRAINERS)
    client.force_login(trainer)
    assert trainer.has_perm("wagtail_localize.submit_translation")

    # Wagtail's listing of a translatable model switches locale with ?locale=.
    response = client.get("/admin/questions/", {"locale": "ar"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "سؤال" in body
    assert "العربية" in body
