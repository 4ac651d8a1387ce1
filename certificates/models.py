"""Certificate designs (trainer-editable) and the certificates awarded to officers.

The design is configuration; a certificate is a record: it keeps a snapshot of what
was printed, its PDF and that PDF's SHA-256, and is never deleted. Revocation keeps
the certificate and says when, by whom and why.
"""

import secrets
import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from accounts.models import Gender
from accounts.validators import validate_name_characters

# Crockford's base32 without I, L, O, U: easy to read aloud and to type.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS = 4  # 4 groups of 5 characters: 20 x 5 bits = 100 random bits
CODE_GROUP_SIZE = 5
CODE_PREFIX = "TDRB"


def private_storage():
    """Certificate PDFs live in their own storage, never served from a public URL."""
    return storages["certificates"]


def new_code() -> str:
    groups = [
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_SIZE))
        for _ in range(CODE_GROUPS)
    ]
    return "-".join([CODE_PREFIX, *groups])


def normalise_code(raw: str) -> str:
    """Read a code as people type it: any case, spaces and dashes ignored, the
    letters that look like digits (O, I, L) read as those digits."""
    cleaned = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if cleaned.startswith(CODE_PREFIX):
        cleaned = cleaned[len(CODE_PREFIX) :]
    if len(cleaned) != CODE_GROUPS * CODE_GROUP_SIZE:
        return ""
    if any(ch not in CODE_ALPHABET for ch in cleaned):
        return ""
    parts = [
        cleaned[i : i + CODE_GROUP_SIZE]
        for i in range(0, len(cleaned), CODE_GROUP_SIZE)
    ]
    return "-".join([CODE_PREFIX, *parts])


# The Arabic statement agrees with the recipient's gender: a design holds three
# variants (plain text each, no placeholders to get wrong). These are the defaults.
STATEMENT_AR_MALE = "قد أتمّ بنجاح الدورة التدريبية"
STATEMENT_AR_FEMALE = "قد أتمّت بنجاح الدورة التدريبية"
# Undisclosed gender: a verbal noun («إتمام») instead of a conjugated verb.
STATEMENT_AR_NEUTRAL = "لإتمام الدورة التدريبية بنجاح"


class CertificateTemplate(ClusterableModel):
    """The wording and look of certificates. One is the default; a course may
    choose another."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    statement_en = models.TextField(
        _("statement (English)"),
        help_text=_(
            "Printed above the course title, e.g. 'has successfully completed'"
        ),
    )
    statement_ar = models.TextField(
        _("statement (Arabic, man)"),
        default=STATEMENT_AR_MALE,
        help_text=_("Printed for a man, between his name and the course title."),
    )
    statement_ar_female = models.TextField(
        _("statement (Arabic, woman)"),
        default=STATEMENT_AR_FEMALE,
        help_text=_("Printed for a woman, between her name and the course title."),
    )
    statement_ar_neutral = models.TextField(
        _("statement (Arabic, gender not given)"),
        default=STATEMENT_AR_NEUTRAL,
        help_text=_(
            "Printed when the officer has not given a gender: a wording without "
            "a gendered verb or pronoun, e.g. a verbal noun (إتمام)."
        ),
    )
    arabic_variants_checked = models.BooleanField(
        _("Arabic variants checked"),
        default=True,
        help_text=_(
            "Cleared when the woman's and the neutral statements were filled in "
            "automatically from a customised design: read them, correct them and "
            "tick this box."
        ),
    )
    show_hijri = models.BooleanField(
        _("show Hijri dates"),
        default=True,
        help_text=_(
            "Print the Hijri (Umm al-Qura) issue and expiry dates beside the "
            "Gregorian ones."
        ),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#0b5563",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use the form #1a2b3c."))],
    )
    is_default = models.BooleanField(
        _("default"),
        default=False,
        help_text=_("Used for every course that does not choose another design."),
    )

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("title_en"), FieldPanel("statement_en")], heading=_("English")
        ),
        MultiFieldPanel(
            [
                HelpPanel(
                    _(
                        "Arabic agrees with the recipient's gender. Write the "
                        "statement three times: for a man, for a woman, and for an "
                        "officer who has not given a gender. The words above the "
                        "name follow the same rule (السيد / السيدة / none); the "
                        "sample PDF shows each variant."
                    )
                ),
                FieldPanel("title_ar"),
                FieldPanel("statement_ar"),
                FieldPanel("statement_ar_female"),
                FieldPanel("statement_ar_neutral"),
                FieldPanel("arabic_variants_checked"),
            ],
            heading=_("Arabic"),
        ),
        FieldPanel("show_hijri"),
        InlinePanel("signatories", label=_("Signatories"), max_num=3),
        FieldPanel("logo"),
        FieldPanel("accent_colour"),
        FieldPanel("is_default"),
    ]

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("certificate design")
        verbose_name_plural = _("certificate designs")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="certificates_one_default_template",
                violation_error_message=_("Another design is already the default."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def statement_ar_for(self, gender: str) -> str:
        """The Arabic statement that agrees with ``gender`` (a ``Gender`` value)."""
        if gender == Gender.MALE:
            return self.statement_ar
        if gender == Gender.FEMALE:
            return self.statement_ar_female
        return self.statement_ar_neutral


class Signatory(Orderable):
    """A signature line at the foot of the certificate: the office that signs (its
    title), and the name of who holds it when the design prints one."""

    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="signatories"
    )
    name_en = models.CharField(
        _("name (English)"),
        max_length=200,
        blank=True,
        validators=[validate_name_characters],
        help_text=_("Leave blank to print the title alone under the signature line."),
    )
    title_en = models.CharField(
        _("title (English)"), max_length=200, validators=[validate_name_characters]
    )
    name_ar = models.CharField(
        _("name (Arabic)"),
        max_length=200,
        blank=True,
        validators=[validate_name_characters],
        help_text=_("Leave blank to print the title alone under the signature line."),
    )
    title_ar = models.CharField(
        _("title (Arabic)"), max_length=200, validators=[validate_name_characters]
    )
    signature = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signature image"),
    )

    panels = [
        FieldPanel("name_en"),
        FieldPanel("title_en"),
        FieldPanel("name_ar"),
        FieldPanel("title_ar"),
        FieldPanel("signature"),
    ]

    def __str__(self) -> str:
        return self.name_en or self.title_en


class RevocationReason(models.TextChoices):
    ERROR = "error", _("Issued in error")
    SUPERSEDED = "superseded", _("Superseded by a corrected certificate")
    MISCONDUCT = "misconduct", _("Withdrawn for misconduct")
    OTHER = "other", _("Other")


class CertificateState(models.TextChoices):
    """Where a certificate stands: the one vocabulary of verification, the officer's
    dashboard and the statistics' officer records."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    # Revoked because a corrected certificate replaced it (``superseded_by``).
    SUPERSEDED = "superseded", _("Superseded")


class CertificateQuerySet(models.QuerySet):
    def current(self):
        """Not revoked (at most one per enrolment, by constraint), newest first: the
        certificate an enrolment holds, which its reporting facts copy."""
        return self.filter(revoked_at__isnull=True).order_by("-issued_at")

    def valid(self, now=None):
        now = now or timezone.now()
        return self.current().filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def expired(self, now=None):
        return self.current().filter(expires_at__lte=now or timezone.now())


class Certificate(models.Model):
    """A certificate awarded for a completed enrolment, as it was printed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("code"), max_length=32, unique=True, default=new_code)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("officer"),
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("course"),
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("enrolment"),
    )
    # The reference index counts a certificate in its officer's "Usage" (Settings >
    # Users, administrators only). Not in its course's: trainers read a course's
    # usage, and a certificate's code leads to the officer's name on the public
    # verification page. The course's enrolments stand for its certificates there.
    course.wagtail_reference_index_ignore = True
    enrolment.wagtail_reference_index_ignore = True
    template = models.ForeignKey(
        CertificateTemplate,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("design"),
    )
    template.wagtail_reference_index_ignore = True
    # What is printed, frozen at issue.
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    course_title = models.CharField(_("course title"), max_length=255)
    # From the Arabic translation of the course at issue; blank when it had none
    # (the Arabic column then prints the English title).
    course_title_ar = models.CharField(
        _("course title (Arabic)"), max_length=255, blank=True
    )
    # The gender the Arabic text agrees with, as the account said at issue.
    gender = models.CharField(
        _("gender printed"),
        max_length=16,
        choices=Gender.choices,
        default=Gender.UNDISCLOSED,
    )
    ministry_en = models.CharField(_("ministry (English)"), max_length=200, blank=True)
    ministry_ar = models.CharField(_("ministry (Arabic)"), max_length=200, blank=True)
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    content_version = models.PositiveIntegerField(
        _("course revision"), null=True, blank=True
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    # The issued file.
    pdf = models.FileField(
        _("PDF"),
        upload_to="certificates/%Y/%m/",
        storage=private_storage,
        blank=True,
    )
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    pdf_rendered_at = models.DateTimeField(_("PDF rendered at"), null=True, blank=True)
    # Revocation: kept, never deleted.
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_by.wagtail_reference_index_ignore = True
    revocation_reason = models.CharField(
        _("revocation reason"),
        max_length=16,
        choices=RevocationReason.choices,
        blank=True,
    )
    revocation_note = models.TextField(_("revocation note"), blank=True)
    superseded_by = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    superseded_by.wagtail_reference_index_ignore = True
    reminder_60_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_14_sent_at = models.DateTimeField(null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        permissions = [
            ("revoke_certificate", _("Can revoke and re-issue certificates")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(revoked_at__isnull=True),
                name="certificates_one_current_per_enrolment",
            )
        ]
        indexes = [models.Index(fields=["course", "issued_at"])]

    def __str__(self) -> str:
        return self.code

    def state_at(self, now=None) -> CertificateState:
        """The same rule as ``CertificateQuerySet.valid`` and ``expired``; revoked
        and superseded first, whatever the expiry."""
        if self.revoked_at is not None:
            if self.superseded_by_id is not None:
                return CertificateState.SUPERSEDED
            return CertificateState.REVOKED
        if self.expires_at is not None and self.expires_at <= (now or timezone.now()):
            return CertificateState.EXPIRED
        return CertificateState.VALID

    @property
    def state(self) -> CertificateState:
        return self.state_at()

    def status(self, now=None) -> str:
        """The state verification publishes (page and API): a superseded
        certificate reads "revoked", with its replacement beside it."""
        state = self.state_at(now)
        if state == CertificateState.SUPERSEDED:
            return CertificateState.REVOKED
        return state
