"""Courses as Wagtail pages, what officers do with them, and the review workflow task.

Progress, completion and statistics belong to the course (the page in the default
language, see ``services.canonical_page``), not to one language version of it.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    AbstractGroupApprovalTask,
    Orderable,
    Page,
    PageManager,
    TaskState,
)
from wagtail.query import PageQuerySet
from wagtail.search import index

from accounts.models import Cadre
from core.models import HeroImageMixin
from core.routing import FastChildRoutingMixin

from .blocks import LessonStreamBlock


class Topic(models.Model):
    """A subject a course covers (victim identification, labour rights, ...)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class CourseIndexPage(FastChildRoutingMixin, Page):
    """The catalogue at /courses/: every published course, filterable."""

    introduction = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1
    fast_child_models = ("courses.CoursePage",)

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from . import services

        context = super().get_context(request, *args, **kwargs)
        context["catalogue"] = services.catalogue(
            request.user,
            cadre=request.GET.get("audience", ""),
            topic=request.GET.get("topic", ""),
            query=request.GET.get("q", "").strip(),
            index_page=self,
        )
        return context


class CoursePageForm(WagtailAdminPageForm):
    """Audiences are chosen with check boxes; none chosen means every cadre."""

    audiences = forms.MultipleChoiceField(
        label=_("Audiences"),
        choices=Cadre.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty when the course is for every cadre."),
    )

    def clean(self):
        cleaned = super().clean()
        prerequisites = cleaned.get("prerequisites")
        if (
            prerequisites
            and self.instance.pk
            and any(p.pk == self.instance.pk for p in prerequisites)
        ):
            self.add_error("prerequisites", _("A course cannot require itself."))
        return cleaned


class CoursePageQuerySet(PageQuerySet):
    def published(self):
        """The courses that count as published, for the home page, the catalogue,
        the dashboard, assignments, the statistics filters and the API: live, and
        each course once, as its page in the default language (translations are
        versions of it, see ``services.canonical_page``). Lazy: no query until the
        result is read, so forms may hold it as their choices."""
        courses = self.live()
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
            courses = courses.filter(locale__language_code=language)
        return courses


CoursePageManager = PageManager.from_queryset(CoursePageQuerySet)


class CoursePage(FastChildRoutingMixin, HeroImageMixin, Page):
    """A course: an overview page whose children are its lessons, in order."""

    summary = models.TextField(
        _("summary"), help_text=_("Two or three sentences shown in the catalogue.")
    )
    learning_objectives = RichTextField(
        _("learning objectives"),
        features=["ul", "ol", "bold", "italic"],
        help_text=_("What an officer can do after the course; a bulleted list."),
    )
    audiences = models.JSONField(
        _("audiences"),
        default=list,
        blank=True,
        help_text=_("Cadres the course is meant for; empty means every cadre."),
    )
    topics = ParentalManyToManyField(
        Topic, blank=True, related_name="courses", verbose_name=_("topics")
    )
    estimated_minutes = models.PositiveIntegerField(
        _("estimated time (minutes)"), default=60
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"),
        default=0,
        help_text=_("0: certificates for this course do not expire."),
    )
    prerequisites = ParentalManyToManyField(
        "courses.CoursePage",
        blank=True,
        symmetrical=False,
        related_name="required_by",
        verbose_name=_("prerequisite courses"),
        help_text=_("Courses an officer must complete before starting this one."),
    )

    certificate_template = models.ForeignKey(
        "certificates.CertificateTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("certificate design"),
        help_text=_("Leave empty to use the default design."),
    )

    base_form_class = CoursePageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("learning_objectives"),
        MultiFieldPanel(
            [
                FieldPanel("audiences"),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("estimated_minutes"),
                FieldPanel("certificate_validity_months"),
                FieldPanel("certificate_template"),
                FieldPanel("prerequisites", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Who and what"),
        ),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_image_alt")],
            heading=_("Hero image"),
        ),
    ]
    objects = CoursePageManager()

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("learning_objectives"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("live"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage", "courses.QuizPage"]
    fast_child_models = ("courses.LessonPage", "courses.QuizPage")

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self):
        super().clean()
        unknown = set(self.audiences or []) - set(Cadre.values)
        if unknown:
            raise ValidationError({"audiences": _("Unknown cadre.")})

    def is_for_cadre(self, cadre: str) -> bool:
        """Meant for ``cadre``: listed, or no audience chosen (every cadre)."""
        return not self.audiences or cadre in self.audiences

    def is_recommended_for(self, cadre: str) -> bool:
        """ "Recommended for your cadre" (the catalogue and the dashboard): the
        officer has a cadre and the course is meant for it. A course meant for every
        cadre is recommended to every cadre, ``other`` included."""
        return bool(cadre) and self.is_for_cadre(cadre)

    def audience_labels(self) -> list[str]:
        labels = dict(Cadre.choices)
        return [str(labels[a]) for a in self.audiences if a in labels]

    def serve(self, request, *args, **kwargs):
        from . import views

        if request.method == "POST":
            return views.enrol(request, self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from . import services

        context = super().get_context(request, *args, **kwargs)
        context["overview"] = services.course_overview(request.user, self)
        return context


class LessonPage(Page):
    """One lesson of a course: a body of blocks, read in the course's order."""

    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))
    estimated_minutes = models.PositiveIntegerField(
        _("estimated time (minutes)"), default=15
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def serve(self, request, *args, **kwargs):
        from . import views

        return views.serve_lesson(request, self, super().serve, *args, **kwargs)

    def get_preview_context(self, request, mode_name):
        # Editors preview a lesson as an enrolled officer would see it.
        from . import services

        context = super().get_preview_context(request, mode_name)
        context["lesson_view"] = services.lesson_preview(self)
        return context


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    ASSIGNED = "assigned", _("Assigned")
    BULK = "bulk", _("Bulk")


# --- The rules of an enrolment, on its own columns --------------------------------
#
# Each rule is written once, as a condition on the enrolment row (for querysets and
# the statistics' counts) and as a property on one enrolment, side by side.


def overdue_q(today) -> Q:
    """Not completed, and the due date (a local day) has passed."""
    return Q(due_date__lt=today, completed_at__isnull=True)


def certified_q(now) -> Q:
    """The current certificate (the one not revoked, as copied into the reporting
    facts) is valid at ``now``: issued, and without expiry or expiring later."""
    return Q(certificate_issued_at__isnull=False) & (
        Q(certificate_expires_at__isnull=True) | Q(certificate_expires_at__gt=now)
    )


def certificate_expired_q(now) -> Q:
    """The current certificate has expired by ``now``."""
    return Q(certificate_issued_at__isnull=False, certificate_expires_at__lte=now)


def renewable_q(now) -> Q:
    """The renewal rule: a completed enrolment may start a new cycle once its
    current certificate (not revoked) has expired."""
    return Q(completed_at__isnull=False, certificate_expires_at__lte=now)


class EnrolmentQuerySet(models.QuerySet):
    def overdue(self, today=None):
        return self.filter(overdue_q(today or timezone.localdate()))

    def renewable(self, now=None):
        return self.filter(renewable_q(now or timezone.now()))


class Enrolment(models.Model):
    """An officer taking a course. One per officer and course."""

    # Training records outlive their pages and accounts: PROTECT, so that deleting an
    # officer or a course can never take the records with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("officer"),
    )
    course = models.ForeignKey(
        CoursePage,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("course"),
    )
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=EnrolmentSource.choices,
        default=EnrolmentSource.SELF,
    )
    cycle = models.PositiveSmallIntegerField(
        _("cycle"),
        default=1,
        help_text=_("2 and more: the course taken again after a certificate expired."),
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        "courses.LessonPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last lesson opened"),
    )
    # The reference index (a page's "Usage") counts the records a page or an account
    # carries; a bookmark, an assignment or a reporting copy is not one of them.
    last_lesson.wagtail_reference_index_ignore = True
    completed_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("course revision at completion"),
    )
    lessons_at_completion = models.PositiveSmallIntegerField(
        _("lessons at completion"), null=True, blank=True
    )
    assignment = models.ForeignKey(
        "reporting.Assignment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
        verbose_name=_("assignment"),
    )
    assignment.wagtail_reference_index_ignore = True
    due_reminder_sent_at = models.DateTimeField(
        _("due-date reminder sent at"), null=True, blank=True
    )

    # Reporting facts: copies of what the statistics group and count by, so that a
    # national table is one scan of this table. They are written only by
    # ``reporting.facts.refresh`` (asked through
    # ``courses.services.refresh_reporting_facts``), which recomputes them from their
    # sources (the officer, quiz attempts, certificates, later cycles) whenever one
    # of those changes; a test checks that they always equal a fresh recomputation.
    ministry = models.ForeignKey(
        "accounts.Ministry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("officer's ministry"),
        editable=False,
    )
    ministry.wagtail_reference_index_ignore = True
    quiz_passed_at = models.DateTimeField(
        _("quiz passed at"), null=True, blank=True, editable=False
    )
    certificate_issued_at = models.DateTimeField(
        _("current certificate issued at"), null=True, blank=True, editable=False
    )
    certificate_expires_at = models.DateTimeField(
        _("current certificate expires at"), null=True, blank=True, editable=False
    )
    is_latest_cycle = models.BooleanField(
        _("latest cycle"), default=True, editable=False
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_at", "-cycle"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course", "cycle"],
                name="courses_enrolment_unique_user_course_cycle",
            )
        ]
        indexes = [
            models.Index(fields=["course", "completed_at"]),
            # One ministry's table: an index scan of its latest-cycle rows. On
            # PostgreSQL, migration 0011 makes it covering (INCLUDE the columns the
            # completion table counts), for an index-only scan.
            models.Index(
                fields=["ministry", "course"],
                condition=Q(is_latest_cycle=True),
                name="courses_enrol_ministry_course",
            ),
            # Reminders and the compliance view look up open, dated enrolments.
            models.Index(
                fields=["due_date"],
                condition=Q(due_date__isnull=False, completed_at__isnull=True),
                name="courses_enrol_open_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.course_id}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    def is_overdue_on(self, today) -> bool:
        """``overdue_q`` for one enrolment."""
        return (
            self.due_date is not None
            and self.completed_at is None
            and self.due_date < today
        )

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    def can_renew_at(self, now) -> bool:
        """``renewable_q`` for one enrolment."""
        return (
            self.completed_at is not None
            and self.certificate_expires_at is not None
            and self.certificate_expires_at <= now
        )

    @property
    def can_renew(self) -> bool:
        return self.can_renew_at(timezone.now())


class LessonCompletion(models.Model):
    """An officer marked a lesson complete. One per enrolment and lesson."""

    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="lesson_completions",
        verbose_name=_("enrolment"),
    )
    enrolment.wagtail_reference_index_ignore = True
    lesson = models.ForeignKey(
        LessonPage,
        on_delete=models.PROTECT,
        related_name="completions",
        verbose_name=_("lesson"),
    )
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    class Meta:
        ordering = ["completed_at"]
        verbose_name = _("lesson completion")
        verbose_name_plural = _("lesson completions")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson"],
                name="courses_lessoncompletion_unique_enrolment_lesson",
            )
        ]

    def __str__(self) -> str:
        return f"lesson {self.lesson_id} of enrolment {self.enrolment_id}"


class SecondReviewerApprovalTask(AbstractGroupApprovalTask):
    """Approval by a member of the chosen groups other than the person who asked
    for the review: a trainer cannot approve their own course content."""

    def _is_requester(self, obj, user) -> bool:
        state = getattr(obj, "current_workflow_state", None)
        return state is not None and state.requested_by_id == user.pk

    def get_actions(self, obj, user):
        if not user.is_superuser and self._is_requester(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if user.is_superuser:
            return states
        return states.exclude(workflow_state__requested_by=user)

    def on_action(self, task_state: TaskState, user, action_name, **kwargs):
        if (
            action_name == "approve"
            and not user.is_superuser
            and task_state.workflow_state.requested_by_id == user.pk
        ):
            raise PermissionError("The requester cannot approve their own request.")
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve, except the person who submitted."
        )

    class Meta:
        verbose_name = _("second reviewer approval task")
        verbose_name_plural = _("second reviewer approval tasks")


# --- Quizzes -----------------------------------------------------------------------


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice (select all that apply)")
    TRUE_FALSE = "true_false", _("True or false")
    ESSAY = "essay", _("Scenario essay (marked by a trainer)")


class Question(ClusterableModel):
    """A question in the bank; quizzes pick from it. Attempts keep their own copy of
    what the officer saw, so editing a question never changes a past attempt."""

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
    )
    points = models.PositiveSmallIntegerField(
        _("points"), default=1, validators=[MinValueValidator(1)]
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive questions are never drawn.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("text"),
        InlinePanel("choices", label=_("Choices"), heading=_("Choices")),
        FieldPanel("explanation"),
        FieldPanel("topic"),
        FieldPanel("points"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return Truncator(strip_tags(self.text)).chars(80) or f"#{self.pk}"

    @property
    def is_choice_question(self) -> bool:
        return self.kind != QuestionKind.ESSAY


class Choice(Orderable):
    """One answer option of a choice question, in the order the trainer set."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)

    panels = [FieldPanel("text"), FieldPanel("is_correct")]

    class Meta(Orderable.Meta):
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
        Topic, blank=True, related_name="+", verbose_name=_("draw from topics")
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
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def serve(self, request, *args, **kwargs):
        from . import quiz_views

        return quiz_views.serve_quiz(request, self, *args, **kwargs)

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
        Question, on_delete=models.PROTECT, related_name="quiz_uses"
    )

    panels = [FieldPanel("question")]

    class Meta(Orderable.Meta):
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

    class Meta:
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
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text
