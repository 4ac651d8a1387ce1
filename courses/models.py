"""Courses as Wagtail pages, what officers do with them, and the review workflow task.

Progress, completion and statistics belong to the course (the page in the default
language, see ``services.canonical_page``), not to one language version of it.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    AbstractGroupApprovalTask,
    Page,
    PageManager,
    TaskState,
    TranslatableMixin,
)
from wagtail.query import PageQuerySet
from wagtail.search import index

from accounts.models import Cadre
from core.models import HeroImageMixin
from core.routing import FastChildRoutingMixin

from .blocks import LessonStreamBlock


def source_locale_only() -> Q:
    """``limit_choices_to`` for choosers of translatable snippets (topics, questions):
    pages point at the source-locale row, whatever language they are in; the
    translation is looked up when shown (``.localized``)."""
    return Q(locale__language_code=settings.LANGUAGE_CODE)


class Topic(TranslatableMixin, models.Model):
    """A subject a course covers (victim identification, labour rights, ...).

    Translatable: the Arabic topic shares the English one's ``translation_key`` and
    slug. Courses and quizzes point at the source topic."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="courses_topic_slug_locale"
            ),
            models.UniqueConstraint(
                fields=["name", "locale"], name="courses_topic_name_locale"
            ),
        ]

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
        Topic,
        blank=True,
        related_name="courses",
        verbose_name=_("topics"),
        limit_choices_to=source_locale_only,
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
        index.AutocompleteField("summary"),
        index.SearchField("learning_objectives"),
        index.RelatedFields(
            "topics", [index.SearchField("name"), index.AutocompleteField("name")]
        ),
        index.FilterField("live"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage", "quizzes.QuizPage"]
    fast_child_models = ("courses.LessonPage", "quizzes.QuizPage")

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
