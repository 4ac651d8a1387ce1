"""Fixtures shared by every test.

Fixtures that touch the database rely on the test's own ``django_db`` mark rather than
requesting ``db``, so that end-to-end tests (transactional, with serialized rollback)
get their database restored before the fixtures run.
"""

from urllib.parse import urlsplit

import pytest
from django import test as django_test
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Page, Site

from core.models import HomePage, SiteSettings
from tests import blocks
from tests.blocks import shareable, shared_fixture

# Course trees for any test (defined beside the course tests).
from tests.courses.conftest import (  # noqa: E402, F401
    catalogue,
    course,
    make_course,
    make_quiz,
    topic,
)
from tests.factories import MinistryFactory, UserFactory

# --- Plumbing: the test database, shared blocks, test order ---------------------------


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """The test database as pytest-django sets it up (migrated, or reused with
    ``--reuse-db``), checked, and left as the migrations made it at the end."""
    from django.db import connections

    blocks.state.snapshots = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with django_db_blocker.unblock():
        if not Page.objects.filter(depth=1).exists():
            pytest.exit(
                "The reused test database has lost the data its migrations create "
                "(a run stopped during a transactional test): run once with "
                "--create-db.",
                returncode=3,
            )
    yield
    with django_db_blocker.unblock():
        blocks.close_block()
        if blocks.state.flushed:
            # With --reuse-db the next run starts from this database.
            blocks.restore_migrated_data()


@pytest.fixture
def _shared_block(request, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        blocks.before_test(request.node)
    yield
    with django_db_blocker.unblock():
        blocks.after_test(request.node)


@pytest.fixture
def _django_db_helper(_shared_block, _django_db_helper):
    """pytest-django's per-test transaction, opened inside the test's shared block
    (if any) and after the data of a flushed database has been put back."""
    yield


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    blocks.order_items(items)


class Client(django_test.Client):
    """The test browser: it prefers English (Accept-Language: en; without it the
    portal answers in Arabic), and it follows, as a browser would, the redirect
    that sends an unprefixed URL of the public site to the same path under a
    language prefix (302 for GET, 307 repeating a POST: accounts.middleware), so
    that tests written against today's URLs keep testing their page. The redirect
    itself is tested with a plain ``django.test.Client`` in
    tests/lms/test_language_routing.py."""

    def __init__(self, *args, headers=None, **kwargs):
        super().__init__(
            *args, headers={"accept-language": "en", **(headers or {})}, **kwargs
        )

    def generic(self, method, path, *args, **kwargs):
        response = super().generic(method, path, *args, **kwargs)
        location = (
            response.get("Location", "") if response.status_code in (302, 307) else ""
        )
        old_path = urlsplit(str(path)).path
        if (
            location.startswith("/")
            and not translation.get_language_from_path(old_path)
            and (language := translation.get_language_from_path(location))
            and urlsplit(location).path
            in (f"/{language}{old_path}", f"/{language}{old_path}/")
        ):
            if response.status_code == 302:
                method, args, kwargs = (
                    "GET",
                    (),
                    {k: v for k, v in kwargs.items() if k in ("secure", "headers")},
                )
            return super().generic(method, location, *args, **kwargs)
        return response


@pytest.fixture
def client():
    return Client()


@pytest.fixture(autouse=True)
def _source_language():
    # Each request activates its own language (accounts.middleware) and, like
    # Django's LocaleMiddleware, leaves it active in the thread: every test starts
    # from the source language again, whatever the previous test requested.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth keeps its rate-limit counters in the cache; tests start afresh.
    cache.clear()
    yield
    cache.clear()


@shareable("site_settings")
def build_site_settings():
    site_settings = SiteSettings.load()
    site_settings.organisation_name = "Tadreeb"
    site_settings.hotline_number = "25589696"
    site_settings.reporting_email = "ATH@MOI.GOV.KW"
    site_settings.support_email = "support@tadreeb.example"
    site_settings.save()
    return site_settings


@pytest.fixture
@shared_fixture("site_settings")
def site_settings(request):
    return blocks.value(request, "site_settings", build_site_settings)


@shareable("home_page", "site_settings")
def build_home_page(site_settings):
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
@shared_fixture("home_page")
def home_page(request, site_settings):
    return blocks.value(request, "home_page", lambda: build_home_page(site_settings))


@shareable("moi")
def build_moi():
    return MinistryFactory(
        code="MOI", name_en="Ministry of Interior", domains=["moi.gov.kw"]
    )


@pytest.fixture
@shared_fixture("moi")
def moi(request):
    return blocks.value(request, "moi", build_moi)


@shareable("mofa")
def build_mofa():
    return MinistryFactory(
        code="MOFA", name_en="Ministry of Foreign Affairs", domains=["mofa.gov.kw"]
    )


@pytest.fixture
@shared_fixture("mofa")
def mofa(request):
    return blocks.value(request, "mofa", build_mofa)


@pytest.fixture
def officer(moi):
    return UserFactory(ministry=moi, email="officer@moi.gov.kw")


def in_language(url: str, language: str) -> str:
    """``url`` (a reversed or page URL) under ``language``'s prefix, as the
    language switch leads there."""
    from django.urls import translate_url

    if urlsplit(url).path in ("", "/"):
        return f"/{language}/"
    return translate_url(url, language)
