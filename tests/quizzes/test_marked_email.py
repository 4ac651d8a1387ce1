# ruff: noqa: F811 - the marking fixtures are imported by name
"""When a trainer marks the last essay of an attempt, the officer is e-mailed the
result: score, passed or not, a link to the result page."""

import re
from decimal import Decimal

import pytest
from django.core import mail

from core.models import OutboundEmail
from quizzes import services as quiz_services
from tests.emails import PORTAL, QUEUED, html_of
from tests.quizzes.test_trainer_quiz_admin import (  # noqa: F401
    essay_attempt,
    essay_quiz,
    essays_of,
    mark,
    trainer,
    trainer_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(site_settings):
    site_settings.organisation_name = PORTAL
    site_settings.save()
    return site_settings


def mark_all(client, attempt, points):
    for essay, awarded in zip(essays_of(attempt), points, strict=True):
        response = mark(client, attempt, essay, awarded)
        assert response.status_code == 302


def to_officer(officer):
    return [m for m in mail.outbox if m.to == [officer.email]]


def test_officer_is_emailed_the_result_once_the_last_essay_is_marked(
    trainer_client, essay_attempt, officer, portal
):
    officer.language = "en"
    officer.save()
    mail.outbox.clear()
    first, second = essays_of(essay_attempt)

    mark(trainer_client, essay_attempt, first, "3")
    assert to_officer(officer) == []  # one essay is still waiting

    mark(trainer_client, essay_attempt, second, "3")

    (message,) = to_officer(officer)
    assert message.subject == f"[{PORTAL}] Your quiz has been marked: Quiz"
    assert "Your score is 100% (the pass mark is 50%)." in message.body
    assert "This attempt passed the quiz." in message.body
    assert "/en/" in message.body and "?attempt=1" in message.body
    html = html_of(message)
    assert "This attempt passed the quiz." in html
    assert PORTAL in html


def test_the_emailed_link_opens_the_marked_result(
    client, trainer_client, essay_attempt, officer, portal
):
    officer.language = "en"
    officer.save()
    mail.outbox.clear()
    mark_all(trainer_client, essay_attempt, ["3", "3"])
    (message,) = to_officer(officer)
    url = re.search(r'href="(http://testserver/[^"]+\?attempt=1)"', html_of(message))

    client.force_login(officer)
    response = client.get(url.group(1).removeprefix("http://testserver"))

    assert response.status_code == 200
    assert "100%" in response.content.decode()


def test_a_failed_attempt_is_emailed_as_not_passed(
    trainer_client, essay_attempt, officer, portal
):
    officer.language = "en"
    officer.save()
    mail.outbox.clear()

    mark_all(trainer_client, essay_attempt, ["0", "0"])

    (message,) = to_officer(officer)
    assert "This attempt did not reach the pass mark." in message.body
    assert "Your score is 14.3%" in message.body


def test_an_arabic_reader_gets_the_result_right_to_left_under_the_arabic_prefix(
    trainer_client, essay_attempt, officer, portal
):
    officer.language = "ar"
    officer.save()
    mail.outbox.clear()

    mark_all(trainer_client, essay_attempt, ["3", "3"])

    (message,) = to_officer(officer)
    html = html_of(message)
    assert '<html lang="ar" dir="rtl">' in html
    assert "حضرة" in message.body
    assert "http://testserver/ar/" in html and "?attempt=1" in html
    assert message.subject.startswith(f"[{PORTAL}] ")


@QUEUED
def test_the_result_is_emailed_once_even_if_sent_again(
    trainer, essay_attempt, officer, portal, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for essay in essays_of(essay_attempt):
            attempt = quiz_services.mark_essay(essay, trainer, Decimal(3))
        quiz_services.send_marked_email(attempt)  # e.g. a retried request

    keys = OutboundEmail.objects.values_list("idempotency_key", flat=True)
    assert list(keys) == [f"attempt:{essay_attempt.pk}:marked"]
    assert len(to_officer(officer)) == 1
