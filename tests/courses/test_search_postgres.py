"""Catalogue search in Arabic on PostgreSQL: Wagtail's database backend with
PostgreSQL's ``arabic`` text-search configuration (``SEARCH_CONFIG``) stems Arabic
words, so that "الأشخاص" finds a title that reads "بالأشخاص" (which neither the
English configuration nor the prefix match of autocomplete does). Runs on
PostgreSQL only (CI's second run); the SQLite run covers the rest
(tests/courses/test_reading_in_arabic.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import override_settings
from django.utils import translation
from wagtail.search.backends import get_search_backend

from courses import services
from tests.courses.conftest import translate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's text search"
    ),
]

ARABIC_SEARCH = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "arabic",
    }
}


@override_settings(WAGTAILSEARCH_BACKENDS=ARABIC_SEARCH)
def test_an_arabic_word_finds_the_course_in_another_form(make_course):
    course = make_course("Identifying victims", lessons=1)
    arabic = translate(course, "ar", title="التعرّف على ضحايا الاتجار بالأشخاص")
    backend = get_search_backend()
    assert backend.config == "arabic"
    for page in (course, arabic):
        backend.add(page)

    with translation.override("ar"):
        found = services.catalogue(AnonymousUser(), query="الأشخاص")

    assert [entry.course.pk for entry in found.entries] == [arabic.pk]
