from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from courses.signals import page_records

        from . import records

        # Assignments hold their course in the refusal to delete.
        page_records.connect(records.page_records, dispatch_uid="reporting.pages")
