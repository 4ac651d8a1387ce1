"""Course assignments: a focal point asks officers of its ministry to complete a
course by a due date."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
