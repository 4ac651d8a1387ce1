"""Rules about accounts: which ministry an address belongs to, who counts as staff,
who must use MFA and when a staff session has passed it, which accounts may act,
and the ministry API tokens (made, checked and revoked here only). Who sees which
ministry is ``accounts.access``."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header
from wagtail.log_actions import log

from . import roles
from .models import (
    ApiToken,
    ApiTokenState,
    Ministry,
    NameCorrectionRequest,
    NameCorrectionState,
    User,
)


@dataclass(frozen=True)
class DomainCheck:
    """What the portal knows about the domain of an e-mail address at sign-up."""

    domain: str
    ministry: Ministry | None
    allowed: bool
    reason: str  # "ok", "open_signup", "unknown_domain" or "inactive_ministry"


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""


def check_signup_domain(email: str) -> DomainCheck:
    """Decide whether ``email`` may sign up, and in which ministry it lands."""
    domain = email_domain(email)
    ministry = (
        Ministry.objects.filter(email_domains__domain=domain).first()
        if domain
        else None
    )
    if ministry is not None and ministry.is_active:
        return DomainCheck(domain, ministry, True, "ok")
    if settings.TADREEB_OPEN_SIGNUP:
        return DomainCheck(domain, None, True, "open_signup")
    if ministry is not None:
        return DomainCheck(domain, ministry, False, "inactive_ministry")
    return DomainCheck(domain, None, False, "unknown_domain")


STAFF_GROUPS_CACHE = "_tadreeb_staff_groups"


def staff_group_names(user: User) -> set[str]:
    """The staff roles ``user`` holds. Kept on the user object, like Django's own
    permission cache, so that the admin menu, the scope and the view of one request
    ask the database once; changing the user's groups clears it (signals.py)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, STAFF_GROUPS_CACHE, None)
    if cached is None:
        cached = frozenset(
            user.groups.filter(name__in=roles.STAFF_GROUPS).values_list(
                "name", flat=True
            )
        )
        setattr(user, STAFF_GROUPS_CACHE, cached)
    return set(cached)


def is_staff_member(user: User) -> bool:
    """Superusers and members of any staff group."""
    return user.is_authenticated and (
        user.is_superuser or bool(staff_group_names(user))
    )


class SecondFactor:
    """What a staff session still owes before it counts as a staff session."""

    SET_UP = "set_up"  # the account has no authenticator yet
    AUTHENTICATE = "authenticate"  # it has one, but this session did not use it


def session_passed_second_factor(request) -> bool:
    """True when this session signed in (or re-authenticated, or set up its
    authenticator) with an authenticator code or a recovery code. allauth records
    each authentication step in the session; a password alone, or a session made
    outside allauth's sign-in, holds no such record."""
    from allauth.account.authentication import get_authentication_records

    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def second_factor_owed(request) -> str | None:
    """The rule for staff sessions, in one place: when staff MFA is required, a
    staff member's session is a staff session only once it has passed the
    authenticator step. Returns ``None`` when nothing is owed, else a
    ``SecondFactor`` value saying what to do next."""
    user = request.user
    if not settings.TADREEB_REQUIRE_STAFF_MFA or not is_staff_member(user):
        return None
    from allauth.mfa.utils import is_mfa_enabled

    if not is_mfa_enabled(user):
        return SecondFactor.SET_UP
    if not session_passed_second_factor(request):
        return SecondFactor.AUTHENTICATE
    return None


def record_second_factor(request, authenticator) -> None:
    """Count the code entered while setting up an authenticator as this session's
    second factor, so that staff are not asked for another code at once."""
    from allauth.account.internal.flows.login import record_authentication

    record_authentication(
        request,
        authenticator.user,
        "mfa",
        id=authenticator.pk,
        type=authenticator.type,
        activated=True,
    )


VERIFIED_EMAIL_CACHE = "_tadreeb_has_verified_email"


def has_verified_email(user: User) -> bool:
    """Whether ``user`` has confirmed an address from the e-mailed link. Only such
    accounts act (enrol, take a quiz, download): allauth lets no unverified account
    sign in, and this holds even for a session made some other way."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, VERIFIED_EMAIL_CACHE, None)
    if cached is None:
        from allauth.account.models import EmailAddress

        cached = EmailAddress.objects.filter(user=user, verified=True).exists()
        setattr(user, VERIFIED_EMAIL_CACHE, cached)
    return cached


# --- Ministry API tokens ---------------------------------------------------------
#
# A token reads ``tdrb_<prefix>_<secret>``: the prefix (8 characters, stored in clear
# and unique) finds the row, the secret (256 random bits) proves possession. Only the
# SHA-256 of the whole token is stored, so a leaked database holds no usable token.

API_TOKEN_SCHEME = "tdrb"  # noqa: S105 (a label, not a secret)
API_TOKEN_PREFIX_LENGTH = 8
_PREFIX_ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789"
# last_used_at is written at most this often, so most requests cost no UPDATE.
API_TOKEN_LAST_USED_GRANULARITY = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedApiToken:
    """A token just made: the row and the plaintext, which is shown once and never
    stored."""

    token: ApiToken
    plaintext: str


class InvalidApiToken(Exception):  # noqa: N818 (reads as a sentence where raised)
    """The bearer token is malformed, unknown, expired or revoked; ``message`` says
    which, in words a client's developer understands."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _hash_api_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def create_api_token(
    *,
    name: str,
    ministry: Ministry | None,
    created_by: User | None,
    expires_at: datetime | None = None,
) -> IssuedApiToken:
    """Make a token for ``ministry`` (None: a national token) and write it to the
    audit log. The plaintext is returned here and nowhere else."""
    name = name.strip()
    if not name:
        raise ValueError("an API token needs a name")
    now = timezone.now()
    expires_at = expires_at or now + timedelta(days=365)
    if expires_at <= now:
        raise ValueError("an API token must expire in the future")
    with transaction.atomic():
        while True:
            prefix = "".join(
                secrets.choice(_PREFIX_ALPHABET)
                for _i in range(API_TOKEN_PREFIX_LENGTH)
            )
            if not ApiToken.objects.filter(prefix=prefix).exists():
                break
        plaintext = f"{API_TOKEN_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken.objects.create(
            name=name,
            ministry=ministry,
            prefix=prefix,
            key_hash=_hash_api_token(plaintext),
            created_by=created_by,
            expires_at=expires_at,
        )
        log(
            token,
            "accounts.api_token.create",
            user=created_by,
            data={
                "prefix": prefix,
                "ministry": ministry.code if ministry else None,
                "expires_at": expires_at.isoformat(),
            },
        )
    return IssuedApiToken(token=token, plaintext=plaintext)


def authenticate_api_token(plaintext: str, *, now: datetime | None = None) -> ApiToken:
    """The usable token whose plaintext this is, with its ministry loaded. One query;
    a second, conditional one at most once a minute to record the last use.
    Raises InvalidApiToken."""
    scheme, _sep, rest = plaintext.partition("_")
    prefix, _sep, secret = rest.partition("_")
    if (
        scheme != API_TOKEN_SCHEME
        or len(prefix) != API_TOKEN_PREFIX_LENGTH
        or not secret
    ):
        raise InvalidApiToken(_("Malformed API token."))
    token = ApiToken.objects.select_related("ministry").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(
        token.key_hash, _hash_api_token(plaintext)
    ):
        raise InvalidApiToken(_("Invalid API token."))
    now = now or timezone.now()
    state = token.state_at(now)
    if state == ApiTokenState.REVOKED:
        raise InvalidApiToken(_("This API token has been revoked."))
    if state == ApiTokenState.EXPIRED:
        raise InvalidApiToken(_("This API token has expired."))
    cutoff = now - API_TOKEN_LAST_USED_GRANULARITY
    if token.last_used_at is None or token.last_used_at < cutoff:
        # Conditional, so that concurrent requests write it once.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=cutoff)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke_api_token(token: ApiToken, by: User | None) -> ApiToken:
    """Revoke ``token`` (idempotent: a revoked token keeps its first revocation) and
    write it to the audit log."""
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_by = by
            locked.save(update_fields=["revoked_at", "revoked_by"])
            log(
                locked,
                "accounts.api_token.revoke",
                user=by,
                data={"prefix": locked.prefix},
            )
    return locked


def language_of(user: User | None) -> str:
    """The language to address this person in: the one saved on the account, else
    the portal's default (Arabic). Every e-mail and reminder is rendered in it, with
    ``translation.override(language_of(user))``. The rule's home is in core, so
    that core's e-mails use it too."""
    from core.emails import recipient_language

    return recipient_language(user)


# --- Language ---------------------------------------------------------------------


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def language_for_request(request) -> str:
    """The one rule for the language a request is answered in: the URL's prefix
    (``/ar/…``, ``/en/…``), else the signed-in person's saved language, else the
    language cookie (the switch sets it), else the browser's Accept-Language, else
    ``settings.TADREEB_DEFAULT_LANGUAGE``. Unprefixed routes (the admin, the API)
    follow the same order; a token client of the API has only Accept-Language."""
    from_path = translation.get_language_from_path(request.path_info)
    if from_path:
        return from_path
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        saved = _supported(user.language)
        if saved:
            return saved
    cookie = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if cookie:
        return cookie
    accept = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for accept_lang, _quality in parse_accept_lang_header(accept):
        if accept_lang == "*":
            break
        found = _supported(accept_lang)
        if found:
            return found
    return settings.TADREEB_DEFAULT_LANGUAGE


def save_language(user: User, language: str) -> None:
    """Save the language ``user`` chose (the switch, the account form, sign-up).
    Wagtail's admin preference follows through ``signals.py``: one truth."""
    if language not in dict(settings.LANGUAGES) and language != "":
        raise ValueError(f"unknown language {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


# --- Names as printed on certificates --------------------------------------------
#
# Whether a name is printed on a valid certificate is for the certificates app to
# say (it sits above this one): it answers this signal with True or False.

#: Sent with ``user``; a receiver returns True when the user's names are printed on
#: a certificate that is still valid.
names_printed = Signal()


class NameChangeRefused(Exception):
    """The names cannot be changed (or a correction requested); the message says
    why, for the form, and ``field`` which of its fields it concerns (None: the
    form as a whole)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class NameChange:
    """What a change of names on the profile did: ``unchanged``, ``changed`` (at
    once: on no valid certificate yet) or ``requested`` (a correction request
    waits for a decision)."""

    outcome: str
    request: NameCorrectionRequest | None = None


def names_are_printed(user: User) -> bool:
    return any(answer for _receiver, answer in names_printed.send(User, user=user))


def pending_name_correction(user: User) -> NameCorrectionRequest | None:
    return NameCorrectionRequest.objects.pending().filter(officer=user).first()


def change_names(
    user: User, name_en: str, name_ar: str, reason: str = ""
) -> NameChange:
    """The one rule for an officer changing their own names: names on no valid
    certificate change at once; names printed on one become a correction request
    (with a reason), decided by the ministry's focal point or a certificate officer
    (``certificates.corrections``)."""
    name_en, name_ar, reason = name_en.strip(), name_ar.strip(), reason.strip()
    if (name_en, name_ar) == (user.full_name_en, user.full_name_ar):
        return NameChange("unchanged")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if pending_name_correction(locked) is not None:
            raise NameChangeRefused(
                _(
                    "Your earlier name correction is still waiting for a decision. "
                    "You can ask again once it has been decided."
                )
            )
        if not names_are_printed(locked):
            locked.full_name_en, locked.full_name_ar = name_en, name_ar
            locked.save(update_fields=["full_name_en", "full_name_ar"])
            user.full_name_en, user.full_name_ar = name_en, name_ar
            return NameChange("changed")
        if not reason:
            raise NameChangeRefused(
                _(
                    "Your name is printed on a valid certificate: say why it should "
                    "be corrected, so that the correction can be approved."
                ),
                field="reason",
            )
        request = NameCorrectionRequest.objects.create(
            officer=locked,
            old_name_en=locked.full_name_en,
            old_name_ar=locked.full_name_ar,
            new_name_en=name_en,
            new_name_ar=name_ar,
            reason=reason,
            state=NameCorrectionState.PENDING,
        )
        log(request, "accounts.name_correction.request", user=locked)
    return NameChange("requested", request)
