"""The e-mail outbox: every message the site sends (allauth's, Wagtail's, ours) is
stored as an ``OutboundEmail`` row in the caller's transaction and delivered by a
task once that transaction commits. A row already sent is never sent again.

Why not django-mailer: it delivers from its own loop (``send_mail`` / ``runmailer``
commands), a second queue beside django-tasks with its own retries, locking and
monitoring; here the task queue is the one place where background work is retried
and shown to administrators."""

import base64
import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import make_msgid
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)

QUEUED_BACKEND = "core.mail.QueuedEmailBackend"


def delivery_backend() -> str:
    """The backend that really delivers (``TADREEB_EMAIL_DELIVERY_BACKEND``)."""
    path = getattr(
        settings,
        "TADREEB_EMAIL_DELIVERY_BACKEND",
        "django.core.mail.backends.smtp.EmailBackend",
    )
    if path == QUEUED_BACKEND:
        raise ImproperlyConfigured(
            "TADREEB_EMAIL_DELIVERY_BACKEND must be a delivering backend, "
            "not the queue itself."
        )
    return path


def _attachments(message: EmailMessage) -> list:
    stored = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple | list) or len(attachment) != 3:
            raise ValueError(
                "Only (filename, content, mimetype) attachments are queued"
            )
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode("utf-8")
        stored.append([filename, base64.b64encode(content).decode("ascii"), mimetype])
    return stored


class QueuedEmailBackend(BaseEmailBackend):
    """Stores each message in the outbox and queues its delivery on commit.

    A message with an ``idempotency_key`` attribute (e.g.
    ``assignment:<id>:enrolment:<id>``) is stored only once: a second message with the
    same key is skipped and not counted."""

    def send_messages(self, email_messages):
        from .mail_tasks import deliver_email_task
        from .models import OutboundEmail

        stored = 0
        for message in email_messages or []:
            if not message.recipients():
                continue
            headers = {
                str(k): str(v)
                for k, v in message.extra_headers.items()
                if k.lower() != "message-id"
            }
            message_id = message.extra_headers.get("Message-ID") or make_msgid(
                domain=getattr(settings, "TADREEB_EMAIL_MESSAGE_ID_DOMAIN", None)
            )
            row = OutboundEmail(
                message_id=message_id,
                idempotency_key=getattr(message, "idempotency_key", None) or None,
                from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
                to=list(message.to),
                cc=list(message.cc),
                bcc=list(message.bcc),
                reply_to=list(message.reply_to),
                subject=str(message.subject),
                body=str(message.body),
                content_subtype=message.content_subtype,
                alternatives=[
                    [str(content), mimetype]
                    for content, mimetype in getattr(message, "alternatives", [])
                ],
                attachments=_attachments(message),
                headers=headers,
            )
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
            except IntegrityError:
                if (
                    row.idempotency_key
                    and OutboundEmail.objects.filter(
                        idempotency_key=row.idempotency_key
                    ).exists()
                ):
                    logger.info("Outbox: e-mail %s already queued", row.idempotency_key)
                    continue
                if self.fail_silently:
                    continue
                raise
            pk = row.pk
            transaction.on_commit(lambda pk=pk: deliver_email_task.enqueue(pk))
            stored += 1
        return stored


def message_of(row) -> EmailMessage:
    """The stored row as a message ready for the delivering backend."""
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers={**row.headers, "Message-ID": row.message_id},
        alternatives=[tuple(a) for a in row.alternatives],
    )
    message.content_subtype = row.content_subtype
    for filename, content, mimetype in row.attachments:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


class DeliveryFailed(Exception):
    """The delivering backend did not accept the message; the task is retried."""


def deliver(pk: int) -> bool:
    """Deliver outbox row ``pk`` unless it was sent already. The row is locked
    (``SELECT ... FOR UPDATE``) while the message goes, so two workers never both
    send it. Returns whether this call sent it; raises ``DeliveryFailed`` if the
    delivering backend failed (the row stays unsent)."""
    from .models import OutboundEmail

    error = None
    with transaction.atomic():
        row = (
            OutboundEmail.objects.select_for_update()
            .filter(pk=pk, sent_at__isnull=True)
            .first()
        )
        if row is None:
            return False
        connection = get_connection(delivery_backend(), fail_silently=False)
        try:
            accepted = connection.send_messages([message_of(row)])
        except Exception as exc:  # noqa: BLE001 - any backend failure is retried
            error = exc
        else:
            if accepted == 0:
                error = DeliveryFailed("the delivering backend accepted nothing")
            else:
                row.sent_at = timezone.now()
                row.attempts += 1
                row.last_error = ""
                row.save(update_fields=["sent_at", "attempts", "last_error"])
    if error is not None:
        # The class name only: SMTP errors may quote addresses.
        name = type(error).__name__
        OutboundEmail.objects.filter(pk=pk, sent_at__isnull=True).update(
            attempts=F("attempts") + 1, last_error=name[:200]
        )
        logger.warning("Outbox: e-mail %s not delivered (%s)", pk, name)
        raise DeliveryFailed(f"e-mail {pk} not delivered: {name}") from error
    logger.info("Outbox: e-mail %s delivered", pk)
    return True
