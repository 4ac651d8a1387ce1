"""Template tags for pages of lower apps that show certificates (the officer's
dashboard in ``courses``), so that ``courses`` never imports ``certificates``."""

from django import template

from certificates.services import certificates_of

register = template.Library()


@register.simple_tag
def certificates_of_officer(user) -> list:
    """The officer's certificates, current ones first (``certificates_of``)."""
    return certificates_of(user)
