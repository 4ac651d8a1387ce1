"""Background work for assignments (django-tasks: immediate in dev and tests, a
database queue with workers in production)."""

from django_tasks import task


@task()
def send_assignment_emails_task(assignment_id: int) -> int:
    """E-mail the officers an assignment asks to complete its course."""
    from . import services

    return services.send_assignment_emails(assignment_id)


@task()
def send_assignment_reminders_task() -> int:
    """The daily reminders of assigned courses due soon (scheduled job)."""
    from . import services

    return services.send_assignment_reminders()
