from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Tadreeb site")

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks
