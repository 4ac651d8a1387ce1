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


@register.simple_tag
def renewal_course(dashboard, course_id):
    """The course (as shown) an officer may take again because its certificate
    expired, from the dashboard's read model, or None:
    ``{% renewal_course dashboard certificate.course_id as retake %}``."""
    return dashboard.renewable.get(course_id) if dashboard else None


@register.simple_tag
def next_step_of(user):
    """The signed-in officer's next step, for the home page: a dashboard row (a
    course in progress, assigned ones first) or a recommended course, or None:
    ``{% next_step_of request.user as step %}``."""
    if not getattr(user, "is_authenticated", False):
        return None
    return services.dashboard(user).next_step
