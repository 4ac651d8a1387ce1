"""Staff land where their work is after signing in; officers keep their landing and
an explicit ?next= wins for everyone."""

import pytest
from django.urls import reverse

from accounts import roles
from tests.factories import TEST_PASSWORD, UserFactory


def sign_in(client, user, next_url=None):
    url = reverse("account_login")
    if next_url:
        url += f"?next={next_url}"
    return client.post(url, {"login": user.email, "password": TEST_PASSWORD})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (roles.FOCAL_POINTS, "/admin/training-reports/completion/"),
        (roles.NATIONAL_COMMITTEE, "/admin/training-reports/completion/"),
        (roles.CERTIFICATE_OFFICERS, "/admin/issued_certificates/"),
    ],
)
def test_staff_land_on_their_work_after_sign_in(client, moi, role, landing):
    user = UserFactory(ministry=moi, role=role)

    response = sign_in(client, user)

    assert response.status_code == 302
    assert response["Location"] == landing
    assert client.get(landing).status_code == 200


@pytest.mark.django_db
def test_trainers_land_on_the_course_pages_they_edit(client, moi, catalogue):
    trainer = UserFactory(ministry=moi, role=roles.TRAINERS)

    response = sign_in(client, trainer)
    assert response["Location"] == reverse("wagtailadmin_explore_root")

    # The page tree opens at the section trainers may edit: the catalogue.
    response = client.get(response["Location"], follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "wagtailadmin_explore", args=[catalogue.pk]
    )


@pytest.mark.django_db
def test_officer_keeps_the_public_landing(client, moi, settings):
    response = sign_in(client, UserFactory(ministry=moi))

    assert response.status_code == 302
    assert response["Location"] == settings.LOGIN_REDIRECT_URL


@pytest.mark.django_db
def test_superuser_outside_the_roles_lands_on_the_admin_dashboard(client, moi):
    response = sign_in(client, UserFactory(ministry=moi, is_superuser=True))

    assert response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.django_db
def test_explicit_next_wins_over_the_staff_landing(client, moi):
    trainer = UserFactory(ministry=moi, role=roles.TRAINERS)

    response = sign_in(client, trainer, next_url="/en/courses/")

    assert response["Location"] == "/en/courses/"


@pytest.mark.django_db
def test_staff_see_the_administration_link_on_the_public_site(client, moi, home_page):
    client.force_login(UserFactory(ministry=moi, role=roles.CERTIFICATE_OFFICERS))

    body = client.get("/en/").content.decode()

    assert f'<a href="{reverse("wagtailadmin_home")}">Administration</a>' in body


@pytest.mark.django_db
def test_officers_see_no_administration_link(client, moi, home_page):
    client.force_login(UserFactory(ministry=moi))

    body = client.get("/en/").content.decode()

    assert "Administration" not in body
