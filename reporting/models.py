"""Course assignments: a focal point asks officers of its ministry to complete a
course by a due date."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseLogEntry
from wagtail.models.audit_log import ModelLogEntryManager

from accounts import access
from accounts.models import Cadre


class AssignmentAudience(models.TextChoices):
    EVERYONE = "everyone", _("Every officer of the ministry")
    CADRE = "cadre", _("Officers of one cadre")
    LIST = "list", _("A list of e-mail addresses")


class Assignment(models.Model):
    """A course assigned to officers of one ministry, with a due date. The officers
    it reached are the enrolments that point to it."""

    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("course"),
    )
    ministry = models.ForeignKey(
        "accounts.Ministry",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("ministry"),
    )
    audience = models.CharField(
        _("who"), max_length=16, choices=AssignmentAudience.choices
    )
    cadre = models.CharField(
        _("cadre"), max_length=32, choices=Cadre.choices, blank=True
    )
    due_date = models.DateField(_("due date"))
    message = models.TextField(
        _("message to officers"),
        blank=True,
        help_text=_("Added to the e-mail the officers receive."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    created_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        permissions = [
            ("view_training_reports", _("Can see training reports (aggregates)")),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} for {self.ministry_id} by {self.due_date}"


class MinistryLogEntryManager(ModelLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        kwargs.setdefault("ministry_id", getattr(instance, "ministry_id", None))
        return super().log_action(instance, action, **kwargs)

    def viewable_by_user(self, user):
        """Entries of the ministries whose records ``user`` may see: a focal point
        its own, the committee and superusers all (national ones included)."""
        scope = access.scope_for_user(user)
        if not scope.officer_records:
            return self.none()
        if scope.is_national:
            return self.all()
        return self.filter(ministry_id__in=scope.ministry_ids)


class MinistryLogEntry(BaseLogEntry):
    """The audit log of what belongs to one ministry (its API tokens, its
    assignments), kept apart from Wagtail's general model log so that a focal point
    reads its own ministry's entries in the admin's history report, and no other's.
    """

    object_id = models.CharField(max_length=255, db_index=True)
    ministry = models.ForeignKey(
        "accounts.Ministry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ministry"),
    )

    objects = MinistryLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("ministry log entry")
        verbose_name_plural = _("ministry log entries")
