from django.urls import path

from . import quiz_views, views

app_name = "courses"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path(
        "quiz-attempts/<int:attempt_id>/",
        quiz_views.attempt_form,
        name="attempt_form",
    ),
    path(
        "quiz-attempts/<int:attempt_id>/answers/",
        quiz_views.save_answers,
        name="save_answers",
    ),
]
