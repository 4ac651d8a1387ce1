"""The quiz engine moved to the quizzes app (issue 12): its models leave courses'
state only; the tables stay, now owned by ``quizzes.0001``.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0013_quizpage_name_wrong_questions_early"),
        ("quizzes", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are (courses_*): only the state moves.
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name="attemptquestion",
                    name="attempt",
                ),
                migrations.RemoveField(
                    model_name="attemptquestion",
                    name="marked_by",
                ),
                migrations.RemoveField(
                    model_name="attemptquestion",
                    name="question",
                ),
                migrations.RemoveField(
                    model_name="choice",
                    name="question",
                ),
                migrations.RemoveField(
                    model_name="question",
                    name="topic",
                ),
                migrations.RemoveField(
                    model_name="quizquestion",
                    name="question",
                ),
                migrations.RemoveField(
                    model_name="quizattempt",
                    name="enrolment",
                ),
                migrations.RemoveField(
                    model_name="quizattempt",
                    name="quiz",
                ),
                migrations.RemoveField(
                    model_name="quizattempt",
                    name="user",
                ),
                migrations.RemoveField(
                    model_name="quizpage",
                    name="draw_topics",
                ),
                migrations.RemoveField(
                    model_name="quizpage",
                    name="page_ptr",
                ),
                migrations.RemoveField(
                    model_name="quizquestion",
                    name="quiz",
                ),
                migrations.DeleteModel(
                    name="AttemptChoice",
                ),
                migrations.DeleteModel(
                    name="AttemptQuestion",
                ),
                migrations.DeleteModel(
                    name="Choice",
                ),
                migrations.DeleteModel(
                    name="Question",
                ),
                migrations.DeleteModel(
                    name="QuizAttempt",
                ),
                migrations.DeleteModel(
                    name="QuizPage",
                ),
                migrations.DeleteModel(
                    name="QuizQuestion",
                ),
            ],
        )
    ]
