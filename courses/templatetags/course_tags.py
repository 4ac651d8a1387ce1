"""Template tags for project templates that show courses from below the courses app
(the home page is ``core``'s, which imports nothing from courses)."""

from django import template

from courses import services

register = template.Library()


@register.simple_tag
def published_courses(limit: int | None = None):
    """The published courses in the editors' order, with their topics, each in the
    active language when it has a live translation there:
    ``{% published_courses 6 as courses %}``."""
    return services.shown_courses(limit=limit)
