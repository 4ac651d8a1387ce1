from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    # This module defines a second AppConfig (below), so Django would otherwise fall
    # back to a plain AppConfig and never connect the receivers in ready().
    default = True
    name = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers


class TadreebUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user management, with forms for our user model."""

    user_viewset = "accounts.admin.viewsets.UserViewSet"
