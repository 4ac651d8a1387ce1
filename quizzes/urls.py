from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path(
        "quiz-attempts/<int:attempt_id>/",
        views.attempt_form,
        name="attempt_form",
    ),
    path(
        "quiz-attempts/<int:attempt_id>/answers/",
        views.save_answers,
        name="save_answers",
    ),
]
