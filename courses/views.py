"""Thin views: enrolling, reading and completing lessons, the officer's dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from accounts.decorators import verified_account_required

from . import services
from .models import CoursePage, LessonPage


@verified_account_required
def enrol(request: HttpRequest, course: CoursePage) -> HttpResponse:
    """POST on a course page: "Start course"."""
    if not request.user.is_authenticated:
        return redirect_to_login(course.get_url(request))
    already_enrolled = services.get_enrolment(request.user, course) is not None
    try:
        services.enrol(request.user, course)
    except services.EnrolmentRefused as refusal:
        if refusal.missing:
            missing = services.versions_in(refusal.missing, locale_id=course.locale_id)
            names = pgettext("list separator", ", ").join(p.title for p in missing)
            messages.error(
                request,
                _("Complete these courses before starting this one: %(names)s.")
                % {"names": names},
            )
        else:
            messages.error(request, _("This course cannot be started."))
        return redirect(course.get_url(request))
    overview = services.course_overview(request.user, course)
    target = overview.next_step.page if overview.next_step else course
    if not already_enrolled:
        messages.success(request, _("You have started the course. Good luck!"))
    return redirect(target.get_url(request))


def serve_lesson(request: HttpRequest, lesson: LessonPage, page_serve, *args, **kwargs):
    """Lessons need sign-in and an enrolment; POST marks the lesson complete."""
    course = services.course_of(lesson)
    if not request.user.is_authenticated:
        # Told why, with a way back to this very lesson once signed in.
        sign_in = f"{reverse('account_login')}?{urlencode({'next': request.path})}"
        messages.info(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("Sign in to take this lesson."),
                sign_in,
                _("Sign in"),
            ),
        )
        return redirect(course.get_url(request))
    enrolment = services.get_enrolment(request.user, course)
    if enrolment is None:
        messages.info(request, _("Start the course to read its lessons."))
        return redirect(course.get_url(request))

    if request.method == "POST":
        return _complete_lesson(request, enrolment, lesson, course)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])

    view = services.lesson_view(enrolment, lesson, course)
    # The source course's lesson: the same "continue" whatever the language.
    services.record_lesson_opened(enrolment, view.source_lesson)
    context = lesson.get_context(request, *args, **kwargs)
    context["lesson_view"] = view
    context["enrolment"] = enrolment
    return TemplateResponse(request, lesson.get_template(request), context)


@verified_account_required
def _complete_lesson(request, enrolment, lesson, course) -> HttpResponse:
    services.complete_lesson(enrolment, lesson)
    view = services.lesson_view(enrolment, lesson, course)
    if enrolment.completed_at is not None and view.next is None:
        messages.success(
            request,
            _("You have completed %(course)s.") % {"course": view.course.title},
        )
        return redirect(view.course.get_url(request))
    if view.next is not None:
        return redirect(view.next.get_url(request))
    if view.quiz is not None:
        return redirect(view.quiz.get_url(request))
    return redirect(view.course.get_url(request))


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    # The certificates are listed by a certificates template tag (courses does not
    # import certificates).
    return render(
        request,
        "courses/dashboard.html",
        {"dashboard": services.dashboard(request.user)},
    )
