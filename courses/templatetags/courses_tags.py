"""Template tags that let project templates of lower apps (the home page of ``core``)
show courses without ``core`` importing ``courses``: imports point one way
(docs/architecture.md), and templates are the project's, above every app."""

from django import template

from courses.services import published_courses

register = template.Library()


@register.simple_tag
def featured_courses(limit: int = 6) -> list:
    """The first ``limit`` published courses of the catalogue, with their topics."""
    return list(published_courses().prefetch_related("topics")[:limit])
