from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo and benchmark tooling: ``load_demo``, ``demo_accounts``, ``seed_scale``,
    the course-content loader and the history generator. Installed in development,
    tests and benchmarks only; production never imports it."""

    name = "demo"
    verbose_name = _("Tadreeb demo data")
