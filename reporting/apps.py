from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from datetime import timedelta

        from django.db.models.signals import post_save

        from accounts.models import User
        from core.scheduling import register_job
        from courses.signals import enrolment_sources_changed, page_records

        from . import facts, records
        from .tasks import send_assignment_reminders_task

        enrolment_sources_changed.connect(
            facts.enrolment_sources_changed,
            dispatch_uid="reporting.enrolment_sources_changed",
        )
        post_save.connect(
            facts.officer_changed,
            sender=User,
            dispatch_uid="reporting.officer_changed",
        )
        # Assignments hold their course in the refusal to delete.
        page_records.connect(records.page_records, dispatch_uid="reporting.pages")
        register_job(
            "reporting.assignment_reminders",
            send_assignment_reminders_task,
            every=timedelta(days=1),
        )
