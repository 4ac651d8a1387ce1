"""The quiz page: rules and history, the attempt form, results. Thin: every rule is
in ``services``; this module turns requests into ``services.Answer`` lists and
refusals into 4xx responses with a message."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import verified_account_required
from courses import services as course_services

from . import services
from .models import AttemptQuestion, QuizAttempt, QuizPage

MAX_ANSWERS_PER_REQUEST = 500


class BadPayload(services.QuizRefused):
    pass


def serve_quiz(request: HttpRequest, page: QuizPage, *args, **kwargs) -> HttpResponse:
    """``page`` is the quiz page in the language being read; attempts, rules and
    standing are the source quiz's (``canonical_page``), one record whatever the
    language."""
    course = services.course_of_quiz(page)
    if not request.user.is_authenticated:
        messages.info(request, _("Sign in and start the course to take its quiz."))
        return redirect(course.get_url(request))
    quiz = services.source_quiz(page, getattr(request, "_wagtail_site", None))
    source_course = course if quiz is page else services.course_of_quiz(quiz)
    attempts = services.current_attempts(request.user, quiz, source_course)
    if (
        not attempts
        and course_services.get_enrolment(request.user, source_course) is None
    ):
        messages.info(request, _("Start the course to take its quiz."))
        return redirect(course.get_url(request))

    if request.method == "POST":
        return _post(request, page, course)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])

    for attempt in attempts:
        if services.expire_if_overdue(attempt):
            messages.warning(
                request,
                _("Time ran out: your attempt was submitted with the answers saved."),
            )
    standing = services.quiz_standing(quiz, request.user, attempts)
    return _render(request, page, course, standing)


def _render(request, page, course, standing, *, status=200, error=None):
    """Render the page being read (``page``) with the source quiz's ``standing``."""
    context = page.get_context(request)
    context.update(
        course=course,
        quiz=standing.quiz,
        standing=standing,
        error=error,
        result=_result(request, standing),
        questions=(
            list(
                AttemptQuestion.objects.filter(attempt=standing.open_attempt)
                .prefetch_related("choices")
                .order_by("position")
            )
            if standing.open_attempt
            else []
        ),
    )
    return TemplateResponse(request, page.get_template(request), context, status=status)


def _result(request, standing):
    """The submitted attempt named in ``?attempt=``, or none."""
    number = request.GET.get("attempt", "")
    if not number.isdigit():
        return None
    attempt = next(
        (a for a in standing.attempts if a.number == int(number) and not a.is_open),
        None,
    )
    if attempt is None:
        return None
    return services.attempt_result(attempt, standing)


@verified_account_required
def _post(request, page, course) -> HttpResponse:
    """POST on the quiz page itself: "Start attempt" (of the source quiz, in the
    language of the page being read)."""
    if request.POST.get("action") != "start":
        return _refuse(request, page, course, BadPayload(_("Unknown action.")))
    try:
        services.start_attempt(request.user, page, language=page.locale.language_code)
    except services.QuizRefused as refusal:
        return _refuse(request, page, course, refusal)
    return redirect(page.get_url(request))


def _refuse(request, page, course, refusal) -> HttpResponse:
    quiz = services.source_quiz(page, getattr(request, "_wagtail_site", None))
    standing = services.quiz_standing(
        quiz, request.user, services.current_attempts(request.user, quiz, course)
    )
    return _render(
        request, page, course, standing, status=refusal.status_code, error=str(refusal)
    )


@require_POST
@login_required
@verified_account_required
def save_answers(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """Autosave as the officer goes: JSON in, JSON out."""
    try:
        answers = _answers_from_request(request, wants_json=True)
        services.save_answers(attempt_id, request.user, answers)
    except services.QuizRefused as refusal:
        return JsonResponse({"error": str(refusal)}, status=refusal.status_code)
    return JsonResponse({"saved": True})


@require_POST
@login_required
@verified_account_required
def attempt_form(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The attempt form's buttons: "Save answers" and "Submit answers"."""
    attempt = (
        QuizAttempt.objects.select_related("quiz")
        .filter(pk=attempt_id, user=request.user)
        .first()
    )
    if attempt is None:
        raise Http404
    # Back to the quiz page in the language being read (the attempt is the source
    # quiz's); for the source language that is the attempt's own quiz, no query.
    quiz = attempt.quiz
    if services.attempt_language() != settings.LANGUAGE_CODE:
        quiz = quiz.localized
    action = request.POST.get("action", "")
    try:
        answers = _answers_from_request(request, wants_json=False)
        if action == "save":
            services.save_answers(attempt.pk, request.user, answers)
            messages.success(request, _("Your answers are saved."))
            return redirect(quiz.get_url(request))
        if action == "submit":
            services.submit_attempt(attempt.pk, request.user, answers)
            return redirect(f"{quiz.get_url(request)}?attempt={attempt.number}")
        raise BadPayload(_("Unknown action."))
    except services.QuizRefused as refusal:
        return _refuse(request, quiz, services.course_of_quiz(quiz), refusal)


def _int(value) -> int:
    """An id: a whole number, or a string of digits; anything else is refused."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value) < 19:
        return int(value)
    raise BadPayload(_("The answers could not be read."))


def _answers_from_request(request, wants_json) -> list[services.Answer]:
    if wants_json:
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, RecursionError) as exc:
            # ValueError covers bad JSON and bytes that are not UTF-8; arrays or
            # objects nested deeper than the recursion limit raise RecursionError.
            raise BadPayload(_("The answers could not be read.")) from exc
        if not isinstance(body, dict):
            raise BadPayload(_("The answers could not be read."))
        rows = body.get("answers", [])
        if not isinstance(rows, list) or len(rows) > MAX_ANSWERS_PER_REQUEST:
            raise BadPayload(_("The answers could not be read."))
        answers = []
        for row in rows:
            if not isinstance(row, dict):
                raise BadPayload(_("The answers could not be read."))
            choices = row.get("choices", [])
            essay = row.get("essay")
            if not isinstance(choices, list) or (
                essay is not None and not isinstance(essay, str)
            ):
                raise BadPayload(_("The answers could not be read."))
            answers.append(
                services.Answer(
                    attempt_question_id=_int(row.get("question")),
                    choice_ids=tuple(_int(c) for c in choices),
                    essay=essay,
                )
            )
        return answers

    asked = request.POST.getlist("questions")
    if len(asked) > MAX_ANSWERS_PER_REQUEST:
        raise BadPayload(_("The answers could not be read."))
    answers = []
    for raw_id in asked:
        question_id = _int(raw_id)
        essay = request.POST.get(f"essay-{question_id}")
        answers.append(
            services.Answer(
                attempt_question_id=question_id,
                choice_ids=tuple(
                    _int(c) for c in request.POST.getlist(f"q-{question_id}")
                ),
                essay=essay,
            )
        )
    return answers
