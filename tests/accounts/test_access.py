"""accounts.access: the one rule of who sees which ministry, per role and for API
tokens, and whether a token still works."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts import access, roles
from accounts.access import Scope
from accounts.models import ApiToken, ApiTokenState
from accounts.services import create_api_token, revoke_api_token
from tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(moi, mofa):
    return {
        "moi": UserFactory(ministry=moi, email="a@moi.gov.kw"),
        "mofa": UserFactory(ministry=mofa, email="b@mofa.gov.kw"),
    }


def roles_of(moi):
    """Every kind of caller, with the scope the rule gives it."""
    return [
        ("superuser", UserFactory(is_superuser=True, ministry=None), Scope.national()),
        (
            "committee",
            staff_user(roles.NATIONAL_COMMITTEE, ministry=None),
            Scope.national(),
        ),
        ("focal point", staff_user(roles.FOCAL_POINTS, ministry=moi), None),
        (
            "focal point without a ministry",
            staff_user(roles.FOCAL_POINTS, ministry=None),
            Scope.nothing(),
        ),
        (
            "trainer",
            staff_user(roles.TRAINERS, ministry=moi),
            Scope.national(officer_records=False),
        ),
        (
            "certificate officer",
            staff_user(roles.CERTIFICATE_OFFICERS, ministry=moi),
            Scope.nothing(),
        ),
        ("officer", UserFactory(ministry=moi), Scope.nothing()),
        (
            "deactivated committee member",
            staff_user(roles.NATIONAL_COMMITTEE, ministry=None, is_active=False),
            Scope.nothing(),
        ),
    ]


def test_scope_for_each_role(moi):
    for name, user, expected in roles_of(moi):
        expected = expected or Scope.ministry(moi.pk)
        assert access.scope_for_user(user) == expected, name
    assert access.scope_for_user(AnonymousUser()) == Scope.nothing()


def test_officer_records_for_each_role(moi, mofa, officers):
    seen = {
        name: set(access.officers_visible_to(user).values_list("email", flat=True))
        for name, user, _scope in roles_of(moi)
    }
    every = {"a@moi.gov.kw", "b@mofa.gov.kw"}

    assert every <= seen["superuser"]
    assert every <= seen["committee"]
    assert "a@moi.gov.kw" in seen["focal point"]
    assert "b@mofa.gov.kw" not in seen["focal point"]
    for name in (
        "focal point without a ministry",
        "trainer",
        "certificate officer",
        "officer",
        "deactivated committee member",
    ):
        assert seen[name] == set(), name


def test_certificate_access_for_each_role(moi, officers):
    owner, stranger = officers["moi"], officers["mofa"]
    allowed = {
        name: (
            access.may_see_certificate_of(user, owner),
            access.may_see_certificate_of(user, stranger),
        )
        for name, user, _scope in roles_of(moi)
    }

    assert allowed["superuser"] == (True, True)
    assert allowed["committee"] == (True, True)
    assert allowed["focal point"] == (True, False)
    assert allowed["certificate officer"] == (True, True)
    assert allowed["focal point without a ministry"] == (False, False)
    assert allowed["trainer"] == (False, False)
    assert allowed["officer"] == (False, False)
    assert allowed["deactivated committee member"] == (False, False)
    assert access.may_see_certificate_of(owner, owner)


def test_api_token_rights_follow_the_scope(moi, mofa):
    moi_token = create_api_token(name="MOI", ministry=moi, created_by=None).token
    create_api_token(name="MOFA", ministry=mofa, created_by=None)
    create_api_token(name="National", ministry=None, created_by=None)
    rights = {
        name: (
            access.can_manage_api_tokens(user),
            access.may_hold_national_tokens(user),
            set(access.api_tokens_visible_to(user).values_list("name", flat=True)),
        )
        for name, user, _scope in roles_of(moi)
    }

    assert rights["superuser"] == (True, True, {"MOI", "MOFA", "National"})
    assert rights["committee"] == (True, True, {"MOI", "MOFA", "National"})
    assert rights["focal point"] == (True, False, {"MOI"})
    for name in ("trainer", "certificate officer", "officer"):
        assert rights[name] == (False, False, set()), name
    assert access.scope_for_token(moi_token) == Scope.ministry(moi.pk)


def test_token_usable_in_one_rule(moi):
    now = timezone.now()
    active = create_api_token(name="Active", ministry=moi, created_by=None).token
    expired = create_api_token(name="Expired", ministry=None, created_by=None).token
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=now - timedelta(days=1))
    revoked = revoke_api_token(
        create_api_token(name="Revoked", ministry=moi, created_by=None).token, None
    )
    expired.refresh_from_db()

    assert [active.state, expired.state, revoked.state] == [
        ApiTokenState.ACTIVE,
        ApiTokenState.EXPIRED,
        ApiTokenState.REVOKED,
    ]
    assert list(ApiToken.objects.usable()) == [active]
    assert access.scope_for_token(expired) == Scope.nothing()
    assert access.scope_for_token(revoked) == Scope.nothing()
