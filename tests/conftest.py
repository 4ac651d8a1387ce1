"""Fixtures shared by every test.

Fixtures that touch the database rely on the test's own ``django_db`` mark rather than
requesting ``db``, so that end-to-end tests (transactional, with serialized rollback)
get their database restored before the fixtures run.
"""

import pytest
from django.core.cache import cache
from wagtail.models import Page, Site

from core.models import HomePage, SiteSettings

# Course trees for any test (defined beside the course tests).
from tests.courses.conftest import (  # noqa: E402, F401
    catalogue,
    course,
    make_course,
    make_quiz,
    topic,
)
from tests.factories import MinistryFactory, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth keeps its rate-limit counters in the cache; tests start afresh.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_settings():
    site_settings = SiteSettings.load()
    site_settings.organisation_name = "Tadreeb"
    site_settings.hotline_number = "25589696"
    site_settings.reporting_email = "ATH@MOI.GOV.KW"
    site_settings.support_email = "support@tadreeb.example"
    site_settings.save()
    return site_settings


@pytest.fixture
def home_page(site_settings):
    root = Page.get_first_root_node()
    for page in root.get_children():
        page.delete()
    home = HomePage(
        title="Tadreeb",
        slug="home",
        hero_heading="Training for the officers who protect victims",
        hero_text="Learn to recognise and assist victims.",
        courses_heading="Courses",
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": home, "port": 80},
    )
    return home


@pytest.fixture
def moi():
    return MinistryFactory(
        code="MOI", name_en="Ministry of Interior", domains=["moi.gov.kw"]
    )


@pytest.fixture
def mofa():
    return MinistryFactory(
        code="MOFA", name_en="Ministry of Foreign Affairs", domains=["mofa.gov.kw"]
    )


@pytest.fixture
def officer(moi):
    return UserFactory(ministry=moi, email="officer@moi.gov.kw")
