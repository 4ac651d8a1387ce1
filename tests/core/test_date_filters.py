"""Dates and digits in templates: Gregorian in words, the Hijri day beside it, and
the Arabic site's digits as the site settings say."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from core.models import ArabicDigits, SiteSettings

DAY = date(2026, 12, 2)  # 22 Jumada al-Akhirah 1448 in the Umm al-Qura calendar


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load tadreeb_dates %}" + source).render(Context(context))


@pytest.fixture
def arabic_indic(db):
    settings = SiteSettings.load()
    settings.arabic_digits = ArabicDigits.ARABIC_INDIC
    settings.save()
    return settings


@pytest.mark.django_db
def test_gregorian_date_is_in_words_in_each_language():
    assert render("{{ day|gregorian }}", "en", day=DAY) == "2 December 2026"
    assert render("{{ day|gregorian }}", "ar", day=DAY) == "2 ديسمبر 2026"


@pytest.mark.django_db
def test_hijri_date_follows_umm_al_qura_in_each_language():
    assert render("{{ day|hijri }}", "en", day=DAY) == "22 Jumada al-Akhirah 1448 AH"
    assert render("{{ day|hijri }}", "ar", day=DAY) == "22 جمادى الآخرة 1448 هـ"


@pytest.mark.django_db
def test_datetime_late_in_utc_is_the_next_day_in_kuwait():
    late = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)  # 01:30 on 2 December in Kuwait

    assert render("{{ when|gregorian }}", "en", when=late) == "2 December 2026"


@pytest.mark.django_db
def test_both_dates_put_the_hijri_day_beside_the_gregorian():
    html = render("{{ day|gregorian_hijri }}", "ar", day=DAY)

    assert html == (
        '<time datetime="2026-12-02">2 ديسمبر 2026</time>'
        ' <span class="date-hijri">(22 جمادى الآخرة 1448 هـ)</span>'
    )


@pytest.mark.django_db
def test_day_outside_the_hijri_tables_shows_the_gregorian_date_alone():
    html = render("{{ day|gregorian_hijri }}", "en", day=date(1900, 1, 1))

    assert html == '<time datetime="1900-01-01">1 January 1900</time>'


@pytest.mark.django_db
def test_missing_date_renders_nothing():
    assert (
        render(
            "[{{ day|gregorian }}{{ day|hijri }}{{ day|gregorian_hijri }}]",
            "ar",
            day=None,
        )
        == "[]"
    )


@pytest.mark.django_db
def test_arabic_site_keeps_western_digits_by_default():
    assert SiteSettings.load().arabic_digits == ArabicDigits.WESTERN
    assert render("{{ day|gregorian }} · {{ n|digits }}", "ar", day=DAY, n=4) == (
        "2 ديسمبر 2026 · 4"
    )


def test_arabic_indic_digits_when_the_setting_asks(arabic_indic):
    assert render("{{ day|gregorian }}", "ar", day=DAY) == "٢ ديسمبر ٢٠٢٦"
    assert render("{{ day|hijri }}", "ar", day=DAY) == "٢٢ جمادى الآخرة ١٤٤٨ هـ"
    assert render("{{ n|digits }}", "ar", n=2026) == "٢٠٢٦"


def test_english_pages_keep_western_digits_whatever_the_setting(arabic_indic):
    assert render("{{ day|gregorian }} {{ n|digits }}", "en", day=DAY, n=4) == (
        "2 December 2026 4"
    )


def test_digits_block_changes_text_but_not_attributes_or_entities(arabic_indic):
    html = render(
        '{% digits %}<p id="label-12">2 of 4 &#x27;lessons&#39;</p>{% enddigits %}',
        "ar",
    )

    assert html == '<p id="label-12">٢ of ٤ &#x27;lessons&#39;</p>'


def test_both_dates_keep_the_iso_date_western(arabic_indic):
    html = render("{{ day|gregorian_hijri }}", "ar", day=DAY)

    assert '<time datetime="2026-12-02">٢ ديسمبر ٢٠٢٦</time>' in html


@pytest.mark.django_db
def test_filters_add_no_query_once_the_settings_are_cached(
    django_assert_num_queries,
):
    SiteSettings.load()  # the footer of every page loads them the same way

    with django_assert_num_queries(0):
        render("{{ day|gregorian_hijri }} {{ n|digits }}", "ar", day=DAY, n=3)
