"""Ministry API tokens: how they are made, stored, checked and revoked; the
create_api_token command; the admin pages under Training reports > API tokens."""

import hashlib
import io
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts import roles
from accounts import services as account_services
from accounts.models import ApiToken
from reporting.models import MinistryLogEntry
from tests.factories import staff_user

pytestmark = pytest.mark.django_db

INDEX = "/admin/training-reports/api-tokens/"
ADD = "/admin/training-reports/api-tokens/new/"
TOKEN_PATTERN = re.compile(r"tdrb_[a-z0-9]{8}_[A-Za-z0-9_-]{43}")


def revoke_url(token) -> str:
    return f"/admin/training-reports/api-tokens/revoke/{token.pk}/"


def make(ministry, name="HR system") -> account_services.IssuedApiToken:
    return account_services.create_api_token(
        name=name, ministry=ministry, created_by=None
    )


# --- The service ------------------------------------------------------------------


def test_only_the_hash_of_a_token_is_stored(moi):
    issued = make(moi)
    assert TOKEN_PATTERN.fullmatch(issued.plaintext)
    row = ApiToken.objects.get()
    assert issued.plaintext.split("_")[1] == row.prefix
    assert row.key_hash == hashlib.sha256(issued.plaintext.encode()).hexdigest()
    assert issued.plaintext not in str(ApiToken.objects.values().get())


def test_two_tokens_never_share_a_prefix_or_a_secret(moi):
    first, second = make(moi), make(moi)
    assert first.token.prefix != second.token.prefix
    assert first.plaintext != second.plaintext


def test_a_token_authenticates_and_carries_its_ministry(moi):
    issued = make(moi)
    token = account_services.authenticate_api_token(issued.plaintext)
    assert token.pk == issued.token.pk
    assert token.ministry.code == "MOI"


def test_revocation_is_kept_once_and_written_to_the_audit_log(moi):
    issued = make(moi)
    focal_point = staff_user(roles.FOCAL_POINTS, ministry=moi)
    first = account_services.revoke_api_token(issued.token, focal_point)
    again = account_services.revoke_api_token(issued.token, None)
    assert again.revoked_at == first.revoked_at
    assert again.revoked_by == focal_point
    actions = list(
        MinistryLogEntry.objects.filter(object_id=str(issued.token.pk)).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["accounts.api_token.create", "accounts.api_token.revoke"]


def test_a_token_cannot_be_made_already_expired(moi):
    with pytest.raises(ValueError, match="future"):
        account_services.create_api_token(
            name="Old",
            ministry=moi,
            created_by=None,
            expires_at=timezone.now() - timedelta(days=1),
        )


# --- The command ------------------------------------------------------------------


def run_command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_prints_a_working_token_once(moi):
    out, err = run_command("--ministry", "MOI", "--name", "HR system")
    plaintext = out.strip()
    assert TOKEN_PATTERN.fullmatch(plaintext)
    assert plaintext not in err
    token = account_services.authenticate_api_token(plaintext)
    assert token.name == "HR system"
    assert token.ministry == moi
    assert token.prefix in err


def test_command_sets_the_expiry_in_days(moi):
    run_command("--ministry", "moi", "--name", "Warehouse", "--days", "30")
    token = ApiToken.objects.get()
    assert token.expires_at - timezone.now() > timedelta(days=29)
    assert token.expires_at - timezone.now() <= timedelta(days=30)


def test_command_makes_a_national_token(moi):
    out, _err = run_command("--national", "--name", "Committee dashboard")
    assert account_services.authenticate_api_token(out.strip()).ministry is None


def test_command_refuses_an_unknown_ministry(moi):
    with pytest.raises(CommandError, match="Unknown ministry 'XYZ'.*MOI"):
        run_command("--ministry", "XYZ", "--name", "HR system")
    assert not ApiToken.objects.exists()


def test_command_refuses_a_blank_name(moi):
    with pytest.raises(CommandError, match="--name"):
        run_command("--ministry", "MOI", "--name", "  ")


def test_command_requires_a_ministry_or_national(moi):
    with pytest.raises(CommandError):
        run_command("--name", "HR system")


# --- The admin pages ----------------------------------------------------------------


@pytest.fixture
def moi_focal_point(moi):
    return staff_user(roles.FOCAL_POINTS, ministry=moi)


@pytest.fixture
def committee_member(moi):
    return staff_user(roles.NATIONAL_COMMITTEE, ministry=moi)


def test_focal_point_lists_only_its_own_ministrys_tokens(
    client, moi, mofa, moi_focal_point
):
    make(moi, "MOI HR system")
    make(mofa, "MOFA consular system")
    client.force_login(moi_focal_point)
    response = client.get(INDEX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "MOI HR system" in page
    assert "MOFA consular system" not in page


def test_focal_point_creates_a_token_for_its_own_ministry_and_sees_it_once(
    client, moi, mofa, moi_focal_point
):
    client.force_login(moi_focal_point)
    form = client.get(ADD)
    assert form.status_code == 200
    assert 'name="ministry"' not in form.content.decode()
    expires = (timezone.localdate() + timedelta(days=90)).isoformat()
    # A ministry slipped into the form is ignored: the token is the focal point's.
    response = client.post(
        ADD, {"name": "HR system", "expires_on": expires, "ministry": mofa.pk}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    plaintext = TOKEN_PATTERN.search(response.content.decode()).group()
    token = account_services.authenticate_api_token(plaintext)
    assert token.ministry == moi
    assert token.created_by == moi_focal_point
    assert timezone.localdate(token.expires_at) == (
        timezone.localdate() + timedelta(days=91)
    )
    assert plaintext not in client.get(INDEX).content.decode()
    assert MinistryLogEntry.objects.filter(
        action="accounts.api_token.create", user=moi_focal_point
    ).exists()


def test_token_form_refuses_a_past_expiry_date(client, moi_focal_point):
    client.force_login(moi_focal_point)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(ADD, {"name": "HR system", "expires_on": yesterday})
    assert response.status_code == 200
    assert "today or a later day" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_form_refuses_an_expiry_beyond_five_years(client, moi_focal_point):
    client.force_login(moi_focal_point)
    response = client.post(ADD, {"name": "HR system", "expires_on": "9999-12-31"})
    assert response.status_code == 200
    assert "at most five years" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_focal_point_revokes_its_ministrys_token_after_confirming(
    client, moi, moi_focal_point
):
    issued = make(moi)
    client.force_login(moi_focal_point)
    confirm = client.get(revoke_url(issued.token))
    assert confirm.status_code == 200
    assert "Yes, revoke it" in confirm.content.decode()
    assert ApiToken.objects.get().revoked_at is None
    response = client.post(revoke_url(issued.token))
    assert response.status_code == 302
    token = ApiToken.objects.get()
    assert token.revoked_at is not None
    assert token.revoked_by == moi_focal_point
    with pytest.raises(account_services.InvalidApiToken):
        account_services.authenticate_api_token(issued.plaintext)


def test_focal_point_cannot_revoke_another_ministrys_token(
    client, mofa, moi_focal_point
):
    issued = make(mofa)
    client.force_login(moi_focal_point)
    assert client.post(revoke_url(issued.token)).status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_committee_sees_every_token_and_makes_a_national_one(
    client, moi, mofa, committee_member
):
    make(moi, "MOI HR system")
    make(mofa, "MOFA consular system")
    client.force_login(committee_member)
    page = client.get(INDEX).content.decode()
    assert "MOI HR system" in page
    assert "MOFA consular system" in page
    assert 'name="ministry"' in client.get(ADD).content.decode()
    expires = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(ADD, {"name": "Committee", "expires_on": expires})
    plaintext = TOKEN_PATTERN.search(response.content.decode()).group()
    assert account_services.authenticate_api_token(plaintext).ministry is None


def test_committee_makes_a_token_for_a_chosen_ministry(client, mofa, committee_member):
    client.force_login(committee_member)
    expires = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(
        ADD, {"name": "MOFA system", "expires_on": expires, "ministry": mofa.pk}
    )
    plaintext = TOKEN_PATTERN.search(response.content.decode()).group()
    assert account_services.authenticate_api_token(plaintext).ministry == mofa


@pytest.mark.parametrize("role", [roles.TRAINERS, roles.CERTIFICATE_OFFICERS])
def test_other_staff_cannot_open_the_token_pages(client, moi, role):
    issued = make(moi)
    client.force_login(staff_user(role, ministry=moi))
    for url in (INDEX, ADD, revoke_url(issued.token)):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    assert client.post(revoke_url(issued.token)).status_code in (302, 403)
    assert ApiToken.objects.get().revoked_at is None


def test_menu_entry_is_shown_only_to_those_who_hold_tokens(
    client, moi, moi_focal_point
):
    client.force_login(moi_focal_point)
    assert INDEX in client.get("/admin/").content.decode()
    client.force_login(staff_user(roles.TRAINERS, ministry=moi))
    assert INDEX not in client.get("/admin/").content.decode()


def test_tokens_are_never_edited_or_deleted_in_the_admin(client, moi, committee_member):
    issued = make(moi)
    client.force_login(committee_member)
    for url in (
        f"/admin/training-reports/api-tokens/edit/{issued.token.pk}/",
        f"/admin/training-reports/api-tokens/delete/{issued.token.pk}/",
    ):
        assert client.get(url).status_code == 404


def test_history_report_shows_a_focal_point_only_its_ministrys_token_entries(
    client, moi, mofa
):
    make(moi, name="MOI payroll")
    make(mofa, name="MOFA secret system")
    national = account_services.create_api_token(
        name="Committee warehouse", ministry=None, created_by=None
    )
    focal = staff_user(roles.FOCAL_POINTS, ministry=moi)
    client.force_login(focal)

    page = client.get("/admin/reports/site-history/").content.decode()

    assert "MOI payroll" in page
    assert "MOFA secret system" not in page
    assert national.token.name not in page


@pytest.mark.parametrize("days", ["0", "3000000"])
def test_command_refuses_a_validity_outside_one_day_to_five_years(moi, days):
    with pytest.raises(CommandError, match="--days"):
        run_command("--ministry", "MOI", "--name", "Warehouse", "--days", days)
