"""Admin wiring of the reporting app: the "Training reports" menu, the reports and
the dashboard panel, course assignments and ministry API tokens. Each module
registers its own hooks when imported."""

from . import (  # noqa: F401
    admin_assignments,
    admin_menu,
    admin_reports,
    admin_tokens,
)
