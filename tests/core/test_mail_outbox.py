# ruff: noqa: F811 - the reporting fixtures are imported by name
"""The e-mail outbox: stored in the caller's transaction, delivered once by a task."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction
from django.test import override_settings

from core.mail import DeliveryFailed
from core.mail_tasks import deliver_email_task
from core.models import OutboundEmail
from courses.models import Enrolment
from reporting import services
from tests.reporting.test_assignments import assign, in_days, people  # noqa: F401

pytestmark = pytest.mark.django_db

QUEUED = override_settings(
    EMAIL_BACKEND="core.mail.QueuedEmailBackend",
    TADREEB_EMAIL_DELIVERY_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP server unreachable")


@QUEUED
def test_message_is_stored_and_delivered_once_even_if_the_task_runs_twice(
    django_capture_on_commit_callbacks,
):
    message = EmailMultiAlternatives(
        "Hello",
        "Plain body",
        "from@tadreeb.example",
        ["a@moi.gov.kw"],
        cc=["c@moi.gov.kw"],
        bcc=["b@moi.gov.kw"],
        headers={"X-Kind": "test"},
    )
    message.attach_alternative("<p>HTML body</p>", "text/html")
    with django_capture_on_commit_callbacks(execute=True):
        message.send()

    row = OutboundEmail.objects.get()
    assert row.sent_at is not None
    assert len(mail.outbox) == 1
    delivered = mail.outbox[0]
    assert delivered.subject == "Hello"
    assert delivered.to == ["a@moi.gov.kw"] and delivered.bcc == ["b@moi.gov.kw"]
    assert delivered.alternatives[0][0] == "<p>HTML body</p>"
    assert delivered.extra_headers["Message-ID"] == row.message_id
    assert delivered.extra_headers["X-Kind"] == "test"

    assert deliver_email_task.call(row.pk) is False  # run again: not sent again
    assert len(mail.outbox) == 1


@QUEUED
def test_delivery_failure_leaves_the_message_unsent_and_raises(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        send_mail("Hello", "Body", None, ["a@moi.gov.kw"])
    row = OutboundEmail.objects.get()

    with override_settings(
        TADREEB_EMAIL_DELIVERY_BACKEND="tests.core.test_mail_outbox.FailingBackend"
    ):
        with pytest.raises(DeliveryFailed):
            deliver_email_task.call(row.pk)
    row.refresh_from_db()
    assert row.sent_at is None
    assert row.attempts == 1
    assert row.last_error == "OSError"  # no address in the stored error
    assert mail.outbox == []

    assert deliver_email_task.call(row.pk) is True  # the retry delivers
    assert len(mail.outbox) == 1


@QUEUED
def test_rollback_of_the_callers_transaction_sends_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            send_mail("Hello", "Body", None, ["a@moi.gov.kw"])
            raise RuntimeError("the caller fails")
    assert callbacks == []
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


@QUEUED
def test_assignment_fan_out_rerun_sends_each_officer_once(
    people,
    course,
    moi,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assign(people, course, moi, due_date=in_days(20))
    first = sorted(m.to[0] for m in mail.outbox)
    assert first and len(first) == OutboundEmail.objects.count()

    # Killed and run again: nobody is queued or sent twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.send_assignment_emails(assignment.assignment.pk)
    assert again == 0
    assert sorted(m.to[0] for m in mail.outbox) == first


@QUEUED
def test_assignment_reminders_run_twice_send_each_officer_once(
    people,
    course,
    moi,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    assign(people, course, moi, due_date=in_days(5))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_assignment_reminders() == 2
        assert services.send_assignment_reminders() == 0
    # The assignment's own e-mails were never committed here: only reminders.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ahmad@moi.gov.kw",
        "bader@moi.gov.kw",
    ]
    assert OutboundEmail.objects.filter(sent_at__isnull=False).count() == 2
    assert Enrolment.objects.filter(due_reminder_sent_at__isnull=False).count() == 2


@QUEUED
def test_reminder_whose_outbox_insert_fails_keeps_its_claim_rolled_back(
    people,
    course,
    moi,
    django_capture_on_commit_callbacks,
    monkeypatch,  # noqa: F811
):
    assign(people, course, moi, due_date=in_days(5))
    mail.outbox.clear()

    def broken(self, messages):
        raise RuntimeError("database full")

    monkeypatch.setattr("core.mail.QueuedEmailBackend.send_messages", broken)
    with pytest.raises(RuntimeError):
        services.send_assignment_reminders()
    assert not Enrolment.objects.filter(due_reminder_sent_at__isnull=False).exists()
