"""Template tags for project templates that show certificates from below the
certificates app (the officer's dashboard is a courses view, and courses imports
nothing from certificates)."""

from django import template
from django.utils import translation

from certificates import services

register = template.Library()


@register.simple_tag
def certificates_of(user):
    """The officer's certificates, current ones first:
    ``{% certificates_of request.user as certificates %}``."""
    if not getattr(user, "is_authenticated", False):
        return []
    return services.certificates_of(user)


@register.filter
def course_title(certificate) -> str:
    """The certificate's course title in the active language:
    ``{{ certificate|course_title }}`` (English when it had no Arabic title)."""
    return services.course_title_in(certificate, translation.get_language() or "en")
