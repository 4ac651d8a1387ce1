from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The site itself: the home page, site settings, shared blocks, routing and
    exports. Its label stays ``lms`` (the app's name before the re-cut), so that its
    tables, content types, permissions and migration history stay where they are:
    see docs/decisions/0002-core-keeps-the-lms-label.md."""

    name = "core"
    label = "lms"
    verbose_name = _("Tadreeb site")

    def ready(self):
        from datetime import timedelta

        from . import (
            checks,  # noqa: F401 - registers the deployment checks
            tasks,  # noqa: F401 - retries failed background tasks
        )
        from .mail_tasks import prune_task
        from .scheduling import register_job

        register_job("core.prune", prune_task, every=timedelta(days=1))
