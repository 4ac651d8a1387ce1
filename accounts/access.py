"""Who sees which ministry: the one scoping rule for users and API tokens.

Every screen, export, API view and download that shows officers or their records
asks here, and nowhere else:

- a superuser and the national committee: every ministry, with officer records;
- a ministry focal point (belonging to a ministry): its own ministry, with records;
- a trainer: aggregates of every ministry, no officer records;
- a certificate officer: no statistics, but any officer's certificate;
- an officer (anyone else): nothing but their own records;
- an API token: its ministry (a national token: every ministry), with records, while
  it is usable (``ApiToken.state``).

A ``Scope`` is the answer for statistics; ``officers_visible_to``,
``may_see_officer_of_ministry`` and the API-token rights below are built on the same
roles.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from . import roles
from .models import ApiToken, NameCorrectionRequest, Officer, User
from .services import staff_group_names


@dataclass(frozen=True)
class Scope:
    """The ministries whose figures a caller may see (None: every ministry) and
    whether it may see officer-level records."""

    ministry_ids: frozenset[int] | None
    officer_records: bool

    @classmethod
    def national(cls, *, officer_records: bool = True) -> Scope:
        return cls(ministry_ids=None, officer_records=officer_records)

    @classmethod
    def ministry(cls, ministry_id: int, *, officer_records: bool = True) -> Scope:
        return cls(
            ministry_ids=frozenset({ministry_id}), officer_records=officer_records
        )

    @classmethod
    def nothing(cls) -> Scope:
        return cls(ministry_ids=frozenset(), officer_records=False)

    @property
    def is_national(self) -> bool:
        return self.ministry_ids is None

    @property
    def is_empty(self) -> bool:
        return self.ministry_ids is not None and not self.ministry_ids

    def allows_ministry(self, ministry_id: int | None) -> bool:
        return self.ministry_ids is None or ministry_id in self.ministry_ids

    def allows_records_of(self, ministry_id: int | None) -> bool:
        """Officer records of a ministry (None: an officer without one, which only
        a national scope covers)."""
        return self.officer_records and self.allows_ministry(ministry_id)

    def restrict(self, queryset: QuerySet, field_name: str = "ministry_id"):
        if self.ministry_ids is None:
            return queryset
        return queryset.filter(**{f"{field_name}__in": self.ministry_ids})


def _is_active_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def scope_for_user(user: User) -> Scope:
    """Superusers and the national committee: every ministry, with records. A focal
    point: its own ministry, with records. A trainer: aggregates of every ministry,
    no records. Anyone else: nothing."""
    if not _is_active_user(user):
        return Scope.nothing()
    if user.is_superuser:
        return Scope.national()
    groups = staff_group_names(user)
    if roles.NATIONAL_COMMITTEE in groups:
        return Scope.national()
    if roles.FOCAL_POINTS in groups and user.ministry_id:
        return Scope.ministry(user.ministry_id)
    if roles.TRAINERS in groups:
        return Scope.national(officer_records=False)
    return Scope.nothing()


def scope_for_token(token: ApiToken) -> Scope:
    """A usable ministry token sees that ministry; a national token every ministry;
    a revoked or expired token nothing."""
    if not token.is_usable():
        return Scope.nothing()
    if token.ministry_id is None:
        return Scope.national()
    return Scope.ministry(token.ministry_id)


def officers_visible_to(user: User) -> QuerySet[Officer]:
    """The officer records ``user`` may see: all for superusers and the national
    committee, their own ministry's for a focal point, none for anyone else."""
    officers = Officer.objects.select_related("ministry")
    scope = scope_for_user(user)
    if not scope.officer_records:
        return officers.none()
    return scope.restrict(officers)


def may_see_certificate_of(user: User, owner: User) -> bool:
    """An officer's certificate: the officer, anyone whose scope holds the owner's
    records (focal points of the owner's ministry, the committee, superusers), and
    certificate officers (who revoke and re-issue any certificate)."""
    if not _is_active_user(user):
        return False
    if user.pk == owner.pk:
        return True
    if roles.CERTIFICATE_OFFICERS in staff_group_names(user):
        return True
    return scope_for_user(user).allows_records_of(owner.ministry_id)


# --- Name corrections -----------------------------------------------------------


def name_corrections_decidable_by(user: User) -> QuerySet[NameCorrectionRequest]:
    """The name corrections ``user`` may see and decide: every one for superusers
    and certificate officers (who re-issue any certificate); those of their own
    ministry's officers for a focal point; none for anyone else. The permission
    ``accounts.decide_namecorrectionrequest`` comes first."""
    requests = NameCorrectionRequest.objects.select_related(
        "officer__ministry", "decided_by"
    )
    if not _is_active_user(user) or not user.has_perm(
        "accounts.decide_namecorrectionrequest"
    ):
        return requests.none()
    if user.is_superuser or roles.CERTIFICATE_OFFICERS in staff_group_names(user):
        return requests
    scope = scope_for_user(user)
    if not scope.officer_records:
        return requests.none()
    return scope.restrict(requests, "officer__ministry_id")


def may_decide_name_corrections(user: User) -> bool:
    """Whether the admin shows ``user`` the name corrections at all."""
    return (
        _is_active_user(user)
        and user.has_perm("accounts.decide_namecorrectionrequest")
        and (
            user.is_superuser
            or roles.CERTIFICATE_OFFICERS in staff_group_names(user)
            or scope_for_user(user).officer_records
        )
    )


# --- API tokens -----------------------------------------------------------------


def can_manage_api_tokens(user: User) -> bool:
    """Superusers, the national committee, and focal points who belong to a
    ministry (each holding the token permissions of its role)."""
    scope = scope_for_user(user)
    return scope.officer_records and not scope.is_empty


def may_hold_national_tokens(user: User) -> bool:
    """National tokens, and tokens of any ministry: superusers and the committee."""
    scope = scope_for_user(user)
    return scope.officer_records and scope.is_national


def api_tokens_visible_to(user: User) -> QuerySet[ApiToken]:
    """Every token for superusers and the committee; a focal point's own ministry's
    tokens; none for anyone else."""
    tokens = ApiToken.objects.select_related("ministry", "created_by", "revoked_by")
    if not can_manage_api_tokens(user):
        return tokens.none()
    if may_hold_national_tokens(user):
        return tokens.all()
    return scope_for_user(user).restrict(tokens)
