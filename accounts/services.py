"""Rules about accounts: which ministry an address belongs to, who counts as staff,
who must use MFA, and which officer records a staff member may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from . import roles
from .models import Ministry, Officer, User


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


def staff_group_names(user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(
        user.groups.filter(name__in=roles.STAFF_GROUPS).values_list("name", flat=True)
    )


def is_staff_member(user: User) -> bool:
    """Superusers and members of any staff group."""
    return user.is_authenticated and (
        user.is_superuser or bool(staff_group_names(user))
    )


def must_set_up_mfa(user: User) -> bool:
    """True when the staff-MFA switch is on and this staff member has no MFA yet."""
    if not settings.TADREEB_REQUIRE_STAFF_MFA or not is_staff_member(user):
        return False
    from allauth.mfa.utils import is_mfa_enabled

    return not is_mfa_enabled(user)


def officers_visible_to(user: User) -> QuerySet[Officer]:
    """The officer records ``user`` may see: all for superusers and the national
    committee, their own ministry's for a focal point, none for anyone else."""
    officers = Officer.objects.select_related("ministry")
    if not user.is_authenticated or not user.is_active:
        return officers.none()
    groups = staff_group_names(user)
    if user.is_superuser or roles.NATIONAL_COMMITTEE in groups:
        return officers.all()
    if roles.FOCAL_POINTS in groups and user.ministry_id:
        return officers.filter(ministry_id=user.ministry_id)
    return officers.none()
