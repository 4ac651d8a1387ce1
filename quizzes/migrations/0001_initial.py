"""The quiz engine's models, moved from courses (issue 12) without touching the
database: the tables keep their names (``Meta.db_table = "courses_<model>"``), their
constraints and indexes. ``courses.0014`` removes them from courses' state; 0002
renames their content types in place.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import modelcluster.fields
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("courses", "0013_quizpage_name_wrong_questions_early"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are (courses_*): only the state moves.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Choice",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "sort_order",
                            models.IntegerField(blank=True, editable=False, null=True),
                        ),
                        ("text", models.CharField(max_length=500, verbose_name="text")),
                        (
                            "is_correct",
                            models.BooleanField(default=False, verbose_name="correct"),
                        ),
                    ],
                    options={
                        "verbose_name": "choice",
                        "verbose_name_plural": "choices",
                        "db_table": "courses_choice",
                        "ordering": ["sort_order"],
                        "abstract": False,
                    },
                ),
                migrations.CreateModel(
                    name="AttemptQuestion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField()),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("single", "Single choice"),
                                    (
                                        "multiple",
                                        "Multiple choice (select all that apply)",
                                    ),
                                    ("true_false", "True or false"),
                                    ("essay", "Scenario essay (marked by a trainer)"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("text", models.TextField()),
                        ("explanation", models.TextField(blank=True)),
                        ("points", models.PositiveSmallIntegerField()),
                        ("essay_answer", models.TextField(blank=True)),
                        (
                            "awarded",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=6, null=True
                            ),
                        ),
                        ("marked_at", models.DateTimeField(blank=True, null=True)),
                        ("marker_comment", models.TextField(blank=True)),
                        (
                            "marked_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "courses_attemptquestion",
                        "ordering": ["position"],
                    },
                ),
                migrations.CreateModel(
                    name="AttemptChoice",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField()),
                        ("text", models.CharField(max_length=500)),
                        ("is_correct", models.BooleanField()),
                        ("selected", models.BooleanField(default=False)),
                        (
                            "attempt_question",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="choices",
                                to="quizzes.attemptquestion",
                            ),
                        ),
                        (
                            "choice",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="quizzes.choice",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "courses_attemptchoice",
                        "ordering": ["position"],
                    },
                ),
                migrations.CreateModel(
                    name="Question",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("single", "Single choice"),
                                    (
                                        "multiple",
                                        "Multiple choice (select all that apply)",
                                    ),
                                    ("true_false", "True or false"),
                                    ("essay", "Scenario essay (marked by a trainer)"),
                                ],
                                default="single",
                                max_length=16,
                                verbose_name="kind",
                            ),
                        ),
                        ("text", wagtail.fields.RichTextField(verbose_name="question")),
                        (
                            "explanation",
                            wagtail.fields.RichTextField(
                                blank=True,
                                help_text="Shown after submission when the quiz allows; cite the source.",
                                verbose_name="explanation",
                            ),
                        ),
                        (
                            "points",
                            models.PositiveSmallIntegerField(
                                default=1,
                                validators=[
                                    django.core.validators.MinValueValidator(1)
                                ],
                                verbose_name="points",
                            ),
                        ),
                        (
                            "active",
                            models.BooleanField(
                                default=True,
                                help_text="Inactive questions are never drawn.",
                                verbose_name="active",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="created at"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                auto_now=True, verbose_name="updated at"
                            ),
                        ),
                        (
                            "topic",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="questions",
                                to="courses.topic",
                                verbose_name="topic",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "question",
                        "verbose_name_plural": "questions",
                        "db_table": "courses_question",
                        "ordering": ["-updated_at"],
                    },
                ),
                migrations.AddField(
                    model_name="choice",
                    name="question",
                    field=modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="choices",
                        to="quizzes.question",
                    ),
                ),
                migrations.AddField(
                    model_name="attemptquestion",
                    name="question",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="quizzes.question",
                    ),
                ),
                migrations.CreateModel(
                    name="QuizAttempt",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "number",
                            models.PositiveSmallIntegerField(
                                verbose_name="attempt number"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "In progress"),
                                    ("awaiting_marking", "Awaiting marking"),
                                    ("scored", "Scored"),
                                ],
                                default="open",
                                max_length=20,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "started_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now,
                                verbose_name="started at",
                            ),
                        ),
                        (
                            "deadline",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="deadline"
                            ),
                        ),
                        (
                            "submitted_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="submitted at"
                            ),
                        ),
                        (
                            "points",
                            models.DecimalField(
                                decimal_places=2,
                                max_digits=8,
                                null=True,
                                verbose_name="points",
                            ),
                        ),
                        (
                            "max_points",
                            models.DecimalField(
                                decimal_places=2,
                                default=0,
                                max_digits=8,
                                verbose_name="maximum points",
                            ),
                        ),
                        (
                            "percent",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=5,
                                null=True,
                                verbose_name="score (%)",
                            ),
                        ),
                        (
                            "passed",
                            models.BooleanField(null=True, verbose_name="passed"),
                        ),
                        (
                            "pass_mark",
                            models.PositiveSmallIntegerField(
                                verbose_name="pass mark at the time (%)"
                            ),
                        ),
                        (
                            "partial_credit",
                            models.BooleanField(
                                verbose_name="partial credit at the time"
                            ),
                        ),
                        (
                            "enrolment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="quiz_attempts",
                                to="courses.enrolment",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="quiz_attempts",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="officer",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "quiz attempt",
                        "verbose_name_plural": "quiz attempts",
                        "db_table": "courses_quizattempt",
                        "ordering": ["-started_at"],
                        "permissions": [("mark_quizattempt", "Can mark essay answers")],
                    },
                ),
                migrations.AddField(
                    model_name="attemptquestion",
                    name="attempt",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="questions",
                        to="quizzes.quizattempt",
                    ),
                ),
                migrations.CreateModel(
                    name="QuizPage",
                    fields=[
                        (
                            "page_ptr",
                            models.OneToOneField(
                                auto_created=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                parent_link=True,
                                primary_key=True,
                                serialize=False,
                                to=settings.WAGTAIL_PAGE_MODEL,
                            ),
                        ),
                        (
                            "introduction",
                            wagtail.fields.RichTextField(
                                blank=True, verbose_name="introduction"
                            ),
                        ),
                        (
                            "pass_mark",
                            models.PositiveSmallIntegerField(
                                default=70,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(100),
                                ],
                                verbose_name="pass mark (%)",
                            ),
                        ),
                        (
                            "max_attempts",
                            models.PositiveSmallIntegerField(
                                default=3,
                                help_text="0: unlimited.",
                                verbose_name="maximum attempts",
                            ),
                        ),
                        (
                            "cooldown_minutes",
                            models.PositiveIntegerField(
                                default=0,
                                verbose_name="cooldown between attempts (minutes)",
                            ),
                        ),
                        (
                            "time_limit_minutes",
                            models.PositiveIntegerField(
                                default=0,
                                help_text="0: no time limit.",
                                verbose_name="time limit (minutes)",
                            ),
                        ),
                        (
                            "draw_count",
                            models.PositiveSmallIntegerField(
                                default=0,
                                help_text="Draw this many questions at random for each attempt: from the topics below, or from the listed questions when no topic is chosen. 0: ask every listed question.",
                                verbose_name="questions drawn at random",
                            ),
                        ),
                        (
                            "shuffle_questions",
                            models.BooleanField(
                                default=True, verbose_name="shuffle questions"
                            ),
                        ),
                        (
                            "shuffle_choices",
                            models.BooleanField(
                                default=True, verbose_name="shuffle choices"
                            ),
                        ),
                        (
                            "partial_credit",
                            models.BooleanField(
                                default=False,
                                help_text="Off: a multiple-choice question scores only when fully right.",
                                verbose_name="partial credit for multiple choice",
                            ),
                        ),
                        (
                            "feedback",
                            models.CharField(
                                choices=[
                                    ("score", "Score only"),
                                    ("wrong", "Score and which questions were wrong"),
                                    ("full", "Correct answers with explanations"),
                                ],
                                default="full",
                                help_text="Correct answers are shown only once the officer has passed or used the last attempt, whatever this setting. Until then, the feedback names the topics and how many questions were not right, not the questions (unless the next setting is on).",
                                max_length=8,
                                verbose_name="feedback after an attempt",
                            ),
                        ),
                        (
                            "name_wrong_questions_early",
                            models.BooleanField(
                                default=False,
                                help_text="Warning: this gives answers away. A true/false or two-choice question named as wrong tells the officer its right answer for the next attempt. Off: until the officer passes or uses the last attempt, the feedback names only the topics and the number of questions not right.",
                                verbose_name="name the wrong questions while attempts remain",
                            ),
                        ),
                        (
                            "draw_topics",
                            modelcluster.fields.ParentalManyToManyField(
                                blank=True,
                                db_table="courses_quizpage_draw_topics",
                                related_name="+",
                                to="courses.topic",
                                verbose_name="draw from topics",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "quiz",
                        "verbose_name_plural": "quizzes",
                        "db_table": "courses_quizpage",
                    },
                    bases=("wagtailcore.page",),
                ),
                migrations.AddField(
                    model_name="quizattempt",
                    name="quiz",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="attempts",
                        to="quizzes.quizpage",
                        verbose_name="quiz",
                    ),
                ),
                migrations.CreateModel(
                    name="QuizQuestion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "sort_order",
                            models.IntegerField(blank=True, editable=False, null=True),
                        ),
                        (
                            "question",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="quiz_uses",
                                to="quizzes.question",
                            ),
                        ),
                        (
                            "quiz",
                            modelcluster.fields.ParentalKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="quiz_questions",
                                to="quizzes.quizpage",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "quiz question",
                        "verbose_name_plural": "quiz questions",
                        "db_table": "courses_quizquestion",
                        "ordering": ["sort_order"],
                        "abstract": False,
                    },
                ),
                migrations.AddConstraint(
                    model_name="attemptquestion",
                    constraint=models.UniqueConstraint(
                        fields=("attempt", "position"),
                        name="courses_attemptquestion_position",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="attemptquestion",
                    constraint=models.UniqueConstraint(
                        fields=("attempt", "question"),
                        name="courses_attemptquestion_unique",
                    ),
                ),
                migrations.AddIndex(
                    model_name="quizattempt",
                    index=models.Index(
                        fields=["status", "submitted_at"],
                        name="courses_qui_status_5b2928_idx",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="quizattempt",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("status", "open")),
                        fields=("user", "quiz"),
                        name="courses_quizattempt_one_open_per_user_quiz",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="quizattempt",
                    constraint=models.UniqueConstraint(
                        fields=("user", "quiz", "number"),
                        name="courses_quizattempt_number",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="quizquestion",
                    constraint=models.UniqueConstraint(
                        fields=("quiz", "question"), name="courses_quizquestion_unique"
                    ),
                ),
            ],
        )
    ]
