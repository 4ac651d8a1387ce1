"""Validators for what officers type: passwords, and the names printed on
certificates."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEMO_PASSWORD = "tadreeb-demo"  # noqa: S105 - the published demo password

# Invisible characters that change the order in which the text around them is
# displayed: a name holding one can show on a certificate as something other than
# what is stored and searched for. Embeddings, overrides and their pop (U+202A-E),
# isolates (U+2066-9), and the direction marks (LRM, RLM, ALM).
DIRECTION_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)


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


def validate_name_characters(value: str) -> None:
    """Refuses direction controls and control characters (tabs, escapes) in a
    name or job title; the message names the first one, which the writer cannot
    see."""
    for char in value:
        if char in DIRECTION_CONTROLS or unicodedata.category(char) == "Cc":
            raise ValidationError(
                _(
                    "This contains an invisible character (%(code)s) that can change "
                    "how the text is displayed. Please type it again without it."
                ),
                code="invisible_character",
                params={"code": f"U+{ord(char):04X}"},
            )
