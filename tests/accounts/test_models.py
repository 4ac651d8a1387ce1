"""Rules the database keeps for accounts."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts import roles
from accounts.models import User
from tests.factories import UserFactory


@pytest.mark.django_db
def test_employee_number_is_unique_within_a_ministry(moi):
    UserFactory(ministry=moi, employee_number="4411")

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(ministry=moi, employee_number="4411")


@pytest.mark.django_db
def test_same_employee_number_is_allowed_in_another_ministry(moi, mofa):
    UserFactory(ministry=moi, employee_number="4411")

    UserFactory(ministry=mofa, employee_number="4411")


@pytest.mark.django_db
def test_many_officers_may_leave_employee_number_blank(moi):
    UserFactory.create_batch(3, ministry=moi, employee_number="")

    assert User.objects.filter(ministry=moi, employee_number="").count() == 3


@pytest.mark.django_db
def test_duplicate_employee_number_gives_a_readable_form_error(moi):
    UserFactory(ministry=moi, employee_number="4411")
    duplicate = UserFactory.build(ministry=moi, employee_number="4411")

    with pytest.raises(ValidationError) as excinfo:
        duplicate.validate_constraints()

    assert "Another officer of this ministry has this employee number." in str(
        excinfo.value
    )


@pytest.mark.django_db
def test_email_is_unique_whatever_its_case(moi):
    UserFactory(ministry=moi, email="same@moi.gov.kw")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="SAME@moi.gov.kw", full_name_en="Other")


@pytest.mark.django_db
def test_create_user_stores_the_address_in_lower_case():
    user = User.objects.create_user("Mixed.Case@MOI.gov.kw", "x-long-password")

    assert user.email == "mixed.case@moi.gov.kw"


@pytest.mark.django_db
def test_the_four_staff_groups_exist_with_admin_access():
    from django.contrib.auth.models import Group

    for name in roles.STAFF_GROUPS:
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists()


@pytest.mark.django_db
def test_focal_points_and_committee_may_read_officer_records():
    from django.contrib.auth.models import Group

    for name in (roles.FOCAL_POINTS, roles.NATIONAL_COMMITTEE):
        assert (
            Group.objects.get(name=name)
            .permissions.filter(codename="view_officer")
            .exists()
        )
    assert (
        not Group.objects.get(name=roles.TRAINERS)
        .permissions.filter(codename="view_officer")
        .exists()
    )
