"""The "Training reports" menu of the Wagtail admin.

Each part of the reporting app adds its entries to this menu by registering a
function for the ``TRAINING_MENU_HOOK`` hook that returns a ``MenuItem`` (reports,
assignments, API tokens); the menu shows only the entries a user may open, and is
hidden when there are none.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

TRAINING_MENU_HOOK = "register_training_reports_menu_item"

training_menu = Menu(register_hook_name=TRAINING_MENU_HOOK, construct_hook_name=None)


@hooks.register("register_admin_menu_item")
def register_training_reports_menu():
    return SubmenuMenuItem(
        _("Training reports"),
        training_menu,
        name="training-reports",
        icon_name="table",
        order=250,
    )


@hooks.register("register_log_actions")
def register_ministry_log_model(actions):
    """API tokens and assignments are logged with their ministry, so that the
    history report shows a focal point its own ministry's entries only."""
    from accounts.models import ApiToken

    from .models import Assignment, MinistryLogEntry

    actions.register_model(ApiToken, MinistryLogEntry)
    actions.register_model(Assignment, MinistryLogEntry)
