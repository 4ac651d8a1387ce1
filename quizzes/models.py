"""The quiz engine: the question bank, quizzes (pages below a course) and attempts.

These models lived in ``courses`` until issue 12; their tables keep their names
(``courses_<model>``), and their content types were renamed in place, so pages,
revisions, workflow states and permissions still point at them. The course touches
the quiz at two points, both through ``courses.signals``: the completion rule asks
whether the quiz is passed, and the course page asks for the quiz and its status.
"""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail_localize.fields import SynchronizedField

from courses.models import Enrolment, Topic, source_locale_only


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice (select all that apply)")
    TRUE_FALSE = "true_false", _("True or false")
    ESSAY = "essay", _("Scenario essay (marked by a trainer)")


class QuestionQuerySet(models.QuerySet):
    def source(self):
        """Questions in the source locale: the ones quizzes list and draw, and
        statistics count (a translation is the same question in another language)."""
        return self.filter(locale__language_code=settings.LANGUAGE_CODE)


class Question(TranslatableMixin, ClusterableModel):
    """A question in the bank; quizzes pick from it. Attempts keep their own copy of
    what the officer saw, so editing a question never changes a past attempt.

    Translatable (wagtail-localize): a translation shares the source question's
    ``translation_key``; its choices are translated children with their source
    choice's key. Only the source question is drawn and scored; a translation gives
    the text an attempt shows in its language."""

    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=QuestionKind.choices,
        default=QuestionKind.SINGLE,
    )
    text = RichTextField(
        _("question"), features=["bold", "italic", "ol", "ul", "image", "link"]
    )
    explanation = RichTextField(
        _("explanation"),
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("Shown after submission when the quiz allows; cite the source."),
    )
    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        verbose_name=_("topic"),
        limit_choices_to=source_locale_only,
    )
    points = models.PositiveSmallIntegerField(
        _("points"), default=1, validators=[MinValueValidator(1)]
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive questions are never drawn.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = QuestionQuerySet.as_manager()

    # The topic and the answer key are the source's: a translation changes words,
    # never which topic a question counts for.
    override_translatable_fields = [SynchronizedField("topic")]

    panels = [
        FieldPanel("kind"),
        FieldPanel("text"),
        InlinePanel("choices", label=_("Choices"), heading=_("Choices")),
        FieldPanel("explanation"),
        FieldPanel("topic"),
        FieldPanel("points"),
        FieldPanel("active"),
    ]

    class Meta(TranslatableMixin.Meta):
        db_table = "courses_question"
        ordering = ["-updated_at"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return Truncator(strip_tags(self.text)).chars(80) or f"#{self.pk}"

    @property
    def is_choice_question(self) -> bool:
        return self.kind != QuestionKind.ESSAY


class Choice(TranslatableMixin, Orderable):
    """One answer option of a choice question, in the order the trainer set.

    Translatable with its question (wagtail-localize translates a ParentalKey child
    that is TranslatableMixin, keeping its ``translation_key``); ``is_correct`` is
    synchronised from the source."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)

    panels = [FieldPanel("text"), FieldPanel("is_correct")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        db_table = "courses_choice"
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text


class Feedback(models.TextChoices):
    SCORE = "score", _("Score only")
    WRONG = "wrong", _("Score and which questions were wrong")
    FULL = "full", _("Correct answers with explanations")


class QuizPage(Page):
    """The quiz of a course: its rules and the questions it draws from the bank."""

    introduction = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "ul"]
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), default=3, help_text=_("0: unlimited.")
    )
    cooldown_minutes = models.PositiveIntegerField(
        _("cooldown between attempts (minutes)"), default=0
    )
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), default=0, help_text=_("0: no time limit.")
    )
    draw_count = models.PositiveSmallIntegerField(
        _("questions drawn at random"),
        default=0,
        help_text=_(
            "Draw this many questions at random for each attempt: from the topics "
            "below, or from the listed questions when no topic is chosen. 0: ask "
            "every listed question."
        ),
    )
    draw_topics = ParentalManyToManyField(
        Topic,
        blank=True,
        limit_choices_to=source_locale_only,
        related_name="+",
        verbose_name=_("draw from topics"),
        db_table="courses_quizpage_draw_topics",
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    partial_credit = models.BooleanField(
        _("partial credit for multiple choice"),
        default=False,
        help_text=_("Off: a multiple-choice question scores only when fully right."),
    )
    feedback = models.CharField(
        _("feedback after an attempt"),
        max_length=8,
        choices=Feedback.choices,
        default=Feedback.FULL,
        help_text=_(
            "Correct answers are shown only once the officer has passed or used the "
            "last attempt, whatever this setting. Until then, the feedback names the "
            "topics and how many questions were not right, not the questions (unless "
            "the next setting is on)."
        ),
    )
    name_wrong_questions_early = models.BooleanField(
        _("name the wrong questions while attempts remain"),
        default=False,
        help_text=_(
            "Warning: this gives answers away. A true/false or two-choice question "
            "named as wrong tells the officer its right answer for the next attempt. "
            "Off: until the officer passes or uses the last attempt, the feedback "
            "names only the topics and the number of questions not right."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("max_attempts"),
                FieldPanel("cooldown_minutes"),
                FieldPanel("time_limit_minutes"),
            ],
            heading=_("Rules"),
        ),
        InlinePanel("quiz_questions", label=_("Questions"), heading=_("Questions")),
        MultiFieldPanel(
            [
                FieldPanel("draw_count"),
                FieldPanel("draw_topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_choices"),
                FieldPanel("partial_credit"),
                FieldPanel("feedback"),
                FieldPanel("name_wrong_questions_early"),
            ],
            heading=_("Drawing, order and feedback"),
        ),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        db_table = "courses_quizpage"
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def serve(self, request, *args, **kwargs):
        from . import views

        return views.serve_quiz(request, self, *args, **kwargs)

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["is_preview"] = True
        return context


class QuizQuestion(Orderable):
    """A question listed in a quiz, in order."""

    quiz = ParentalKey(
        QuizPage, on_delete=models.CASCADE, related_name="quiz_questions"
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.PROTECT,
        related_name="quiz_uses",
        limit_choices_to=source_locale_only,
    )

    panels = [FieldPanel("question")]

    class Meta(Orderable.Meta):
        db_table = "courses_quizquestion"
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "question"], name="courses_quizquestion_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.question)


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    AWAITING_MARKING = "awaiting_marking", _("Awaiting marking")
    SCORED = "scored", _("Scored")


class QuizAttempt(models.Model):
    """One attempt at a quiz. Questions and choice order are frozen when it starts;
    once submitted it never changes, and attempts are never deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quiz_attempts",
        verbose_name=_("officer"),
    )
    quiz = models.ForeignKey(
        QuizPage,
        on_delete=models.PROTECT,
        related_name="attempts",
        verbose_name=_("quiz"),
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="quiz_attempts"
    )
    enrolment.wagtail_reference_index_ignore = True
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AttemptStatus.choices,
        default=AttemptStatus.OPEN,
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, null=True)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=8, decimal_places=2, default=0
    )
    percent = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark at the time (%)"))
    partial_credit = models.BooleanField(_("partial credit at the time"))
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the questions were shown in (frozen at the start)."),
    )

    class Meta:
        db_table = "courses_quizattempt"
        ordering = ["-started_at"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        permissions = [("mark_quizattempt", _("Can mark essay answers"))]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(status="open"),
                name="courses_quizattempt_one_open_per_user_quiz",
            ),
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="courses_quizattempt_number"
            ),
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of user {self.user_id} at quiz {self.quiz_id}"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.OPEN


class AttemptQuestion(models.Model):
    """A question as it was asked in one attempt, with the officer's answer."""

    attempt = models.ForeignKey(
        QuizAttempt, on_delete=models.CASCADE, related_name="questions"
    )
    attempt.wagtail_reference_index_ignore = True
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    text = models.TextField()
    explanation = models.TextField(blank=True)
    points = models.PositiveSmallIntegerField()
    essay_answer = models.TextField(blank=True)
    awarded = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_by.wagtail_reference_index_ignore = True
    marked_at = models.DateTimeField(null=True, blank=True)
    marker_comment = models.TextField(blank=True)

    class Meta:
        db_table = "courses_attemptquestion"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="courses_attemptquestion_position"
            ),
            models.UniqueConstraint(
                fields=["attempt", "question"], name="courses_attemptquestion_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"question {self.position} of attempt {self.attempt_id}"


class AttemptChoice(models.Model):
    """A choice as shown in one attempt (its text and correctness frozen), and
    whether the officer selected it."""

    attempt_question = models.ForeignKey(
        AttemptQuestion, on_delete=models.CASCADE, related_name="choices"
    )
    choice = models.ForeignKey(
        Choice, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField()
    selected = models.BooleanField(default=False)

    class Meta:
        db_table = "courses_attemptchoice"
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text
