"""Password validators."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEMO_PASSWORD = "tadreeb-demo"  # noqa: S105 - the published demo password


class DemoPasswordValidator:
    """Refuses the published demo password; production settings enable it."""

    def validate(self, password, user=None):
        if password.strip().lower() == DEMO_PASSWORD:
            raise ValidationError(
                _("The demo password cannot be used on this server."),
                code="demo_password",
            )

    def get_help_text(self):
        return _("Your password cannot be the published demo password.")
