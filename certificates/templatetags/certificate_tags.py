"""Template tags for project templates that show certificates from below the
certificates app (the officer's dashboard is a courses view, and courses imports
nothing from certificates)."""

from django import template
from django.utils import translation

from certificates import services
from certificates.models import Certificate

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


@register.simple_tag
def certificate_of_enrolment(enrolment):
    """The certificate an enrolment holds now (not revoked), or None, for the
    completed course page and the quiz's "Passed" result (courses and quizzes
    import nothing from certificates):
    ``{% certificate_of_enrolment overview.enrolment as certificate %}``."""
    if enrolment is None or getattr(enrolment, "pk", None) is None:
        return None
    return Certificate.objects.current().filter(enrolment=enrolment).first()
