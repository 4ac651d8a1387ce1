"""The public site: home page, footer contacts, accessible layout."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_page_shows_hero_and_hotline_in_footer(client, home_page):
    response = client.get("/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Training for the officers who protect victims" in body
    assert "25589696" in body
    assert "ATH@MOI.GOV.KW" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_footer_with_hotline_is_on_every_page(client, home_page, url):
    response = client.get(url)

    assert response.status_code == 200
    assert 'href="tel:25589696"' in response.content.decode()


@pytest.mark.django_db
def test_pages_have_landmarks_skip_link_and_language(client, home_page):
    body = client.get("/").content.decode()

    assert '<html lang="en" dir="ltr">' in body
    assert '<a class="skip-link" href="#main">' in body
    assert '<main id="main"' in body
    assert "<header" in body and "<footer" in body
    assert '<nav class="site-nav" aria-label="Main">' in body


@pytest.mark.django_db
def test_home_page_lists_no_invented_courses(client, home_page):
    body = client.get("/").content.decode()

    assert "No course has been published yet." in body


@pytest.mark.django_db
def test_signed_in_officer_sees_sign_out_and_no_admin_link(client, home_page, officer):
    client.force_login(officer)

    body = client.get("/").content.decode()

    assert reverse("account_logout") in body
    assert "Administration" not in body


@pytest.mark.django_db
def test_home_page_query_budget(client, home_page, django_assert_max_num_queries):
    client.get("/en/")  # warm Wagtail's site cache

    with django_assert_max_num_queries(8):
        assert client.get("/en/").status_code == 200


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client, home_page):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_health_check_reports_database_reachable(client):
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_hero_image_needs_alternative_text(home_page):
    from django.core.exceptions import ValidationError
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Hero", file=get_test_image_file())
    home_page.hero_image = image
    home_page.hero_image_alt = ""

    with pytest.raises(ValidationError) as excinfo:
        home_page.full_clean()

    assert "hero_image_alt" in excinfo.value.message_dict
