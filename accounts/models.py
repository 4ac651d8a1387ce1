"""Officers, the ministries they belong to, and the e-mail domains that place them."""

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from .validators import validate_name_characters


class Ministry(ClusterableModel):
    """A ministry or authority whose officers train on the portal."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("Short upper-case code, for example MOI."),
    )
    name_en = models.CharField(
        _("name (English)"), max_length=200, validators=[validate_name_characters]
    )
    name_ar = models.CharField(
        _("name (Arabic)"), max_length=200, validators=[validate_name_characters]
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Officers of an inactive ministry cannot sign up."),
    )
    contact_email = models.EmailField(
        _("training contact e-mail"),
        blank=True,
        help_text=_("Shown to officers whose sign-up is refused."),
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("ministry")
        verbose_name_plural = _("ministries")

    def __str__(self) -> str:
        return self.name_en

    def save(self, *args, **kwargs):
        self.code = self.code.strip().upper()
        super().save(*args, **kwargs)


class EmailDomain(models.Model):
    """An e-mail domain (``moi.gov.kw``) whose addresses belong to one ministry."""

    ministry = ParentalKey(
        Ministry,
        on_delete=models.CASCADE,
        related_name="email_domains",
        verbose_name=_("ministry"),
    )
    domain = models.CharField(
        _("domain"),
        max_length=253,
        unique=True,
        help_text=_("The part after @, for example moi.gov.kw."),
    )

    class Meta:
        ordering = ["domain"]
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)


class Cadre(models.TextChoices):
    DIPLOMAT = "diplomat", _("Diplomat or consular officer")
    POLICE = "police", _("Police officer")
    SHELTER_STAFF = "shelter_staff", _("Shelter staff")
    LABOUR_INSPECTOR = "labour_inspector", _("Labour inspector")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def normalize_email(self, email):
        return (email or "").strip().lower()

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """An account on the portal: usually an officer of a ministry; signs in by e-mail.

    The names are stored as they are printed on certificates, in both scripts.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name_en = models.CharField(
        _("full name (English)"),
        max_length=200,
        validators=[validate_name_characters],
        help_text=_("As it should be printed on certificates, in Latin script."),
    )
    full_name_ar = models.CharField(
        _("full name (Arabic)"),
        max_length=200,
        validators=[validate_name_characters],
        help_text=_("As it should be printed on certificates, in Arabic script."),
    )
    ministry = models.ForeignKey(
        Ministry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("ministry"),
    )
    cadre = models.CharField(
        _("cadre"), max_length=32, choices=Cadre.choices, default=Cadre.OTHER
    )
    gender = models.CharField(
        _("gender"),
        max_length=16,
        choices=Gender.choices,
        default=Gender.UNDISCLOSED,
        help_text=_("Used only for statistics broken down by gender."),
    )
    job_title = models.CharField(
        _("job title"),
        max_length=200,
        blank=True,
        validators=[validate_name_characters],
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The language of the portal and of every e-mail sent to this person. "
            "Blank: not chosen yet (Arabic)."
        ),
    )
    employee_number = models.CharField(
        _("employee number"),
        max_length=50,
        blank=True,
        help_text=_("Optional; unique within the ministry."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name_en"]

    objects = UserManager()

    class Meta:
        ordering = ["full_name_en", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="accounts_user_email_ci_unique"
            ),
            models.UniqueConstraint(
                fields=["ministry", "employee_number"],
                condition=~Q(employee_number=""),
                name="accounts_user_employee_number_per_ministry",
                violation_error_message=_(
                    "Another officer of this ministry has this employee number."
                ),
            ),
        ]
        indexes = [
            # Statistics count a ministry's active officers by cadre and gender: an
            # index-only scan, merged with the verified addresses (migration 0004).
            models.Index(
                fields=["ministry", "id", "cadre", "gender"],
                condition=Q(is_active=True),
                name="accounts_user_active_officers",
            ),
            # Coverage leaves out deactivated accounts: a few, looked up by id.
            models.Index(
                fields=["id"],
                condition=Q(is_active=False),
                name="accounts_user_inactive",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name_en or self.email

    def get_full_name(self) -> str:
        return self.full_name_en or self.email

    def get_short_name(self) -> str:
        return self.full_name_en.split(" ")[0] if self.full_name_en else self.email

    def clean(self):
        super().clean()
        self.email = (self.email or "").strip().lower()


class Officer(User):
    """The officer records seen by focal points and the committee in the admin.

    A proxy, so that reading officer records is a permission of its own, separate from
    managing accounts.
    """

    class Meta:
        proxy = True
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        default_permissions = ("view",)


class ApiTokenState(models.TextChoices):
    """Whether an API token still works: the one vocabulary of the authentication,
    the admin listing and the command."""

    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Tokens that still work: not revoked and not yet expired."""
        from django.utils import timezone

        return self.filter(
            revoked_at__isnull=True, expires_at__gt=now or timezone.now()
        )


def _default_token_expiry():
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(days=365)


class ApiToken(models.Model):
    """A bearer token with which a ministry's own system (an HR system, a data
    warehouse) pulls statistics from the REST API.

    It belongs to a ministry and sees only that ministry's officers; a national token
    (no ministry) belongs to the national committee and sees every ministry. Only the
    SHA-256 of the secret is stored: the token is shown once, when it is made.
    """

    name = models.CharField(
        _("name"), max_length=100, help_text=_("What uses it, e.g. 'HR system'.")
    )
    ministry = models.ForeignKey(
        Ministry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("ministry"),
        help_text=_("Empty: a national token that sees every ministry."),
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), default=_default_token_expiry)
    last_used_at = models.DateTimeField(
        _("last used at"), null=True, blank=True, editable=False
    )
    revoked_at = models.DateTimeField(
        _("revoked at"), null=True, blank=True, editable=False
    )
    revoked_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
        editable=False,
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_national(self) -> bool:
        return self.ministry_id is None

    def state_at(self, now=None) -> ApiTokenState:
        """Revoked first (a revoked token stays revoked), then expired, else
        active; the same rule as ``ApiTokenQuerySet.usable``."""
        from django.utils import timezone

        if self.revoked_at is not None:
            return ApiTokenState.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return ApiTokenState.EXPIRED
        return ApiTokenState.ACTIVE

    @property
    def state(self) -> ApiTokenState:
        return self.state_at()

    def is_usable(self, now=None) -> bool:
        return self.state_at(now) == ApiTokenState.ACTIVE


class NameCorrectionState(models.TextChoices):
    """Where a name correction stands: the one vocabulary of the profile page, the
    admin list and the decision."""

    PENDING = "pending", pgettext_lazy("name correction", "Pending")
    APPROVED = "approved", pgettext_lazy("name correction", "Approved")
    REJECTED = "rejected", pgettext_lazy("name correction", "Rejected")


class NameCorrectionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=NameCorrectionState.PENDING)

    def decided(self):
        return self.exclude(state=NameCorrectionState.PENDING)


class NameCorrectionRequest(models.Model):
    """An officer's request to change names already printed on a valid certificate.

    The ministry's focal point or a certificate officer decides it; approval changes
    the account's names and re-issues each valid certificate (``certificates``). A
    record: never edited after the decision, never deleted.
    """

    officer = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="name_corrections",
        verbose_name=_("officer"),
    )
    old_name_en = models.CharField(_("current name (English)"), max_length=200)
    old_name_ar = models.CharField(_("current name (Arabic)"), max_length=200)
    new_name_en = models.CharField(
        _("corrected name (English)"),
        max_length=200,
        validators=[validate_name_characters],
    )
    new_name_ar = models.CharField(
        _("corrected name (Arabic)"),
        max_length=200,
        validators=[validate_name_characters],
    )
    reason = models.TextField(_("reason"), max_length=2000)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=NameCorrectionState.choices,
        default=NameCorrectionState.PENDING,
    )
    decided_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    objects = NameCorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("name correction")
        verbose_name_plural = _("name corrections")
        default_permissions = ("view",)
        permissions = [
            (
                "decide_namecorrectionrequest",
                _("Can approve or reject name corrections"),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(state="pending"),
                name="accounts_one_pending_name_correction",
                violation_error_message=_(
                    "You already have a name correction waiting for a decision."
                ),
            )
        ]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.old_name_en} → {self.new_name_en}"

    @property
    def is_pending(self) -> bool:
        return self.state == NameCorrectionState.PENDING
