"""The quiz page: rules and history, the attempt form, results. Thin: every rule is
in ``services``; this module turns requests into ``services.Answer`` lists and
refusals into 4xx responses with a message."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import services
from .models import AttemptQuestion, QuizAttempt, QuizPage

MAX_ANSWERS_PER_REQUEST = 500


class BadPayload(services.QuizRefused):
    pass


def serve_quiz(request: HttpRequest, quiz: QuizPage, *args, **kwargs) -> HttpResponse:
    course = services.course_of_quiz(quiz)
    if not request.user.is_authenticated:
        messages.info(request, _("Sign in and start the course to take its quiz."))
        return redirect(course.get_url(request))
    attempts = list(QuizAttempt.objects.filter(user=request.user, quiz=quiz))
    if not attempts and services.get_enrolment(request.user, course) is None:
        messages.info(request, _("Start the course to take its quiz."))
        return redirect(course.get_url(request))

    if request.method == "POST":
        return _post(request, quiz, course)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])

    for attempt in attempts:
        if services.expire_if_overdue(attempt):
            messages.warning(
                request,
                _("Time ran out: your attempt was submitted with the answers saved."),
            )
    standing = services.quiz_standing(quiz, request.user, attempts)
    return _render(request, quiz, course, standing)


def _render(request, quiz, course, standing, *, status=200, error=None):
    context = quiz.get_context(request)
    context.update(
        course=course,
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
    return TemplateResponse(request, quiz.get_template(request), context, status=status)


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


def _post(request, quiz, course) -> HttpResponse:
    wants_json = request.content_type == "application/json"
    action = "save" if wants_json else request.POST.get("action", "")
    try:
        if action == "start":
            services.start_attempt(request.user, quiz)
            return redirect(quiz.get_url(request))
        answers = _answers_from_request(request, wants_json)
        attempt_id = _attempt_id(request, wants_json)
        if action == "save":
            services.save_answers(attempt_id, request.user, answers)
            if wants_json:
                return JsonResponse({"saved": True})
            messages.success(request, _("Your answers are saved."))
            return redirect(quiz.get_url(request))
        if action == "submit":
            attempt = services.submit_attempt(attempt_id, request.user, answers)
            return redirect(f"{quiz.get_url(request)}?attempt={attempt.number}")
        raise BadPayload(_("Unknown action."))
    except services.QuizRefused as refusal:
        if wants_json:
            return JsonResponse({"error": str(refusal)}, status=refusal.status_code)
        standing = services.quiz_standing(quiz, request.user)
        return _render(
            request,
            quiz,
            course,
            standing,
            status=refusal.status_code,
            error=str(refusal),
        )


def _attempt_id(request, wants_json) -> int:
    raw = (
        request.json_body.get("attempt") if wants_json else request.POST.get("attempt")
    )
    try:
        return int(raw)
    except (TypeError, ValueError) as exc:
        raise BadPayload(_("The attempt is missing from the request.")) from exc


def _int(value) -> int:
    if isinstance(value, bool):
        raise BadPayload(_("The answers could not be read."))
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise BadPayload(_("The answers could not be read.")) from exc


def _answers_from_request(request, wants_json) -> list[services.Answer]:
    if wants_json:
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadPayload(_("The answers could not be read.")) from exc
        if not isinstance(body, dict):
            raise BadPayload(_("The answers could not be read."))
        request.json_body = body
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
