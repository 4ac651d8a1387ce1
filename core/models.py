"""The home page and the site-wide settings shown in every page's footer."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BaseStreamBlock
from .routing import FastChildRoutingMixin


class HeroImageMixin(models.Model):
    """A page's optional hero image, whose alternative text is then required."""

    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hero image"),
    )
    hero_image_alt = models.CharField(
        _("hero image alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Required when there is a hero image."),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.hero_image_id and not self.hero_image_alt.strip():
            raise ValidationError(
                {"hero_image_alt": _("Describe the hero image for screen readers.")}
            )


class HomePage(FastChildRoutingMixin, HeroImageMixin, Page):  # noqa: DJ008 - Page's
    """The portal's front page: what Tadreeb is, who it is for, and its courses."""

    hero_heading = models.CharField(_("hero heading"), max_length=200)
    hero_text = models.TextField(_("hero text"), blank=True)
    introduction = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "ul", "ol"]
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))
    courses_heading = models.CharField(
        _("courses section heading"), max_length=200, default="Courses"
    )
    courses_intro = models.TextField(_("courses section text"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_image_alt"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("introduction"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("courses_heading"), FieldPanel("courses_intro")],
            heading=_("Courses section"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("hero_text"),
        index.SearchField("introduction"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    fast_child_models = ("courses.CourseIndexPage",)

    class Meta:
        verbose_name = _("home page")


class ArabicDigits(models.TextChoices):
    """The digits numbers and dates are written in on the Arabic site."""

    WESTERN = "western", _("Western (0 1 2 3)")
    ARABIC_INDIC = "arabic_indic", _("Arabic-Indic (٠ ١ ٢ ٣)")


@register_setting(icon="site")
class SiteSettings(BaseGenericSetting):
    """Organisation details and contacts shown in the footer of every page, and how
    the Arabic site writes its digits."""

    organisation_name = models.CharField(
        _("organisation name"),
        max_length=200,
        default="Tadreeb",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    hotline_number = models.CharField(
        _("hotline number"),
        max_length=40,
        blank=True,
        help_text=_("The number for reporting trafficking, shown on every page."),
    )
    reporting_email = models.EmailField(
        _("reporting e-mail"),
        blank=True,
        help_text=_("Where suspected trafficking cases are reported."),
    )
    support_email = models.EmailField(
        _("training support e-mail"),
        blank=True,
        help_text=_("Whom officers write to about their account or sign-up."),
    )
    arabic_digits = models.CharField(
        _("digits on the Arabic site"),
        max_length=20,
        choices=ArabicDigits.choices,
        default=ArabicDigits.WESTERN,
        help_text=_(
            "How dates and counts are written on the Arabic pages. The English "
            "pages always use Western digits."
        ),
    )

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("logo"),
        FieldPanel("hotline_number"),
        FieldPanel("reporting_email"),
        FieldPanel("support_email"),
        FieldPanel("arabic_digits"),
    ]

    class Meta:
        verbose_name = _("site settings")

    CACHE_KEY = "lms:site-settings"

    @property
    def uses_arabic_indic_digits(self) -> bool:
        return self.arabic_digits == ArabicDigits.ARABIC_INDIC

    @classmethod
    def _get_or_create(cls):
        # Every page shows these in its footer: keep them in the shared cache (Redis
        # in production) rather than query them on each request.
        settings_obj = cache.get(cls.CACHE_KEY)
        if settings_obj is None:
            settings_obj = super()._get_or_create()
            cache.set(cls.CACHE_KEY, settings_obj, timeout=300)
        return settings_obj

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)


class TaskWorker(models.Model):
    """A running ``manage.py run_worker``: its heartbeat, written every few seconds
    while it lives (core/tasks.py). A RUNNING task whose worker has been silent for
    longer than TADREEB_TASK_STALE_SECONDS is given back to the queue."""

    worker_id = models.CharField(_("worker id"), max_length=64, primary_key=True)
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self):
        return self.worker_id


class OutboundEmail(models.Model):
    """One e-mail in the outbox (``core.mail.QueuedEmailBackend``): stored in the
    sender's transaction, delivered by a task, sent at most once by this site."""

    message_id = models.CharField(max_length=255, unique=True)
    idempotency_key = models.CharField(
        max_length=200, unique=True, null=True, blank=True
    )
    from_email = models.CharField(max_length=320)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    bcc = models.JSONField(default=list)
    reply_to = models.JSONField(default=list)
    subject = models.TextField(blank=True)
    body = models.TextField(blank=True)
    content_subtype = models.CharField(max_length=20, default="plain")
    alternatives = models.JSONField(default=list)
    attachments = models.JSONField(default=list)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")

    def __str__(self):
        return self.message_id


class ScheduledJobRun(models.Model):
    """A scheduled job's claim on one period (``core.scheduling``): unique, so one
    machine only enqueues the job for that period."""

    job = models.CharField(max_length=100)
    period_start = models.DateTimeField()
    claimed_at = models.DateTimeField()
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["job", "period_start"], name="scheduled_job_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.job} {self.period_start:%Y-%m-%d %H:%M}"
