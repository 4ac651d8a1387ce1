"""Admin wiring of the reporting app: registers the "Training reports" menu and its
entries, the reports and the dashboard panel, course assignments and ministry API
tokens. The views, ViewSets and menu items live in ``reporting.admin``."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from accounts.models import ApiToken

from .admin import assignments, reports, tokens
from .admin.menu import TRAINING_MENU_HOOK, training_reports_menu
from .models import Assignment, MinistryLogEntry

# The "Training reports" menu and its entries, in the order they are shown.
hooks.register("register_admin_menu_item", training_reports_menu)
for menu_item in (
    reports.completion_menu_item,
    reports.trained_per_year_menu_item,
    reports.officer_records_menu_item,
    assignments.assignments_menu_item,
    assignments.assign_course_menu_item,
    tokens.api_token_menu_item,
):
    hooks.register(TRAINING_MENU_HOOK, menu_item)

# Course assignments, the reports and the dashboard panel.
hooks.register("register_admin_urls", assignments.admin_urls)
hooks.register("register_admin_urls", reports.admin_urls)
hooks.register("construct_homepage_panels", reports.add_completion_chart_panel)

# API tokens: made and revoked, never edited or deleted.
register_permission_policy(ApiToken, tokens.permission_policy, exact_class=True)


@hooks.register("register_admin_viewset")
def register_api_token_viewset():
    return tokens.api_token_viewset


@hooks.register("register_log_actions")
def register_log_actions(actions):
    # API tokens and assignments are logged with their ministry, so that the
    # history report shows a focal point its own ministry's entries only.
    actions.register_model(ApiToken, MinistryLogEntry)
    actions.register_model(Assignment, MinistryLogEntry)
    actions.register_action(
        "reporting.assign", _("Assign a course"), _("Course assigned")
    )
    actions.register_action(
        "accounts.api_token.create", _("Create API token"), _("API token created")
    )
    actions.register_action(
        "accounts.api_token.revoke", _("Revoke API token"), _("API token revoked")
    )
