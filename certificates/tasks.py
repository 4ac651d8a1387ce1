"""Background work for certificates (django-tasks: immediate in dev and tests, a
database queue with workers in production)."""

from django_tasks import task


@task()
def render_certificate_task(certificate_id: str) -> str:
    """Render and store a new certificate's PDF, then e-mail its officer."""
    from . import services
    from .models import Certificate

    certificate = Certificate.objects.get(pk=certificate_id)
    services.render_certificate(certificate)
    # The PDF exists now, so the e-mail's link works; a retried task sends nothing
    # twice (the outbox keeps the e-mail's key).
    services.send_issued_email(certificate)
    return certificate.code


@task()
def send_expiry_reminders_task() -> int:
    """The daily certificate expiry reminders (scheduled job)."""
    from . import services

    return services.send_expiry_reminders()
