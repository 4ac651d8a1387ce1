from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    label = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from wagtail.models import ReferenceIndex

        from courses import records as course_records
        from courses.signals import (
            completion_requirements,
            course_assessment,
            page_records,
            user_records,
        )

        from . import records, services
        from .models import AttemptQuestion, Question, QuizAttempt

        # The course asks the quiz: is it passed (completion), and which quiz with
        # which status (the course page, the lesson's "go to the quiz").
        completion_requirements.connect(
            services.completion_requirement, dispatch_uid="quizzes.completion"
        )
        course_assessment.connect(services.course_quiz, dispatch_uid="quizzes.quiz")

        # Attempts and answers are training records: they appear in the "Usage" of
        # the quizzes, questions and accounts they point at, and the admin refuses
        # to delete what holds them.
        for model in (QuizAttempt, AttemptQuestion):
            ReferenceIndex.register_model(model)
        page_records.connect(records.page_records, dispatch_uid="quizzes.pages")
        user_records.connect(records.user_records, dispatch_uid="quizzes.users")
        course_records.register_holder(Question, records.records_of_questions)
