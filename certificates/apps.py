from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from datetime import timedelta

        from wagtail.models import ReferenceIndex

        from accounts.services import names_printed
        from core.scheduling import register_job
        from courses.signals import enrolment_completed, page_records, user_records

        from . import corrections, records, services
        from .models import Certificate
        from .tasks import send_expiry_reminders_task

        # A certificate counts in the "Usage" of its course and of its officer.
        ReferenceIndex.register_model(Certificate)

        enrolment_completed.connect(
            services.on_enrolment_completed,
            dispatch_uid="certificates.issue_on_completion",
        )
        # A name printed on a valid certificate is corrected, not edited.
        names_printed.connect(
            corrections.names_are_printed, dispatch_uid="certificates.names_printed"
        )
        # Certificates hold their course and officer in the refusal to delete.
        page_records.connect(records.page_records, dispatch_uid="certificates.pages")
        user_records.connect(records.user_records, dispatch_uid="certificates.users")
        register_job(
            "certificates.expiry_reminders",
            send_expiry_reminders_task,
            every=timedelta(days=1),
        )
