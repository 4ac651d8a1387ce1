"""Dates and digits as an officer in Kuwait reads them.

Gregorian dates are formatted by Babel in the active language (Arabic month names
on the Arabic site); Hijri dates follow the Umm al-Qura calendar through
``hijridate``. Digits on the Arabic site are Western (0-9) or Arabic-Indic (٠-٩),
as the site settings say (``SiteSettings.arabic_digits``; Western by default).
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date
from django.utils import timezone, translation
from hijridate import Gregorian

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "en").split("-")[0]


def as_local_date(value: date | datetime) -> date:
    """The calendar day in Kuwait's time zone (datetimes are stored in UTC)."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def arabic_indic(text: str) -> str:
    """``text`` with Western digits written as Arabic-Indic digits."""
    return str(text).translate(ARABIC_INDIC)


def with_digits(text: str, language: str | None = None, *, indic: bool = False) -> str:
    """``text`` with the digits the site uses in ``language``: Arabic-Indic only in
    Arabic, and only when ``indic`` (the site setting) asks for them."""
    if indic and _language(language) == "ar":
        return arabic_indic(text)
    return text


def gregorian(value: date | datetime, language: str | None = None) -> str:
    """A Gregorian date in words: ``2 December 2026`` / ``2 ديسمبر 2026``."""
    lang = _language(language)
    # Babel's "en" is American (December 2, 2026); Kuwait writes the day first.
    return format_date(
        as_local_date(value), format="long", locale="en_GB" if lang == "en" else lang
    )


def hijri(value: date | datetime, language: str | None = None) -> str:
    """The Umm al-Qura date of the same day: ``22 Jumada al-Akhirah 1448 AH`` /
    ``22 جمادى الآخرة 1448 هـ``. Days outside the calendar's range (before 1937
    or after 2077) give an empty string."""
    day = as_local_date(value)
    try:
        h = Gregorian(day.year, day.month, day.day).to_hijri()
    except (OverflowError, ValueError):
        return ""
    lang = _language(language)
    lang = lang if lang in ("ar", "en") else "en"
    return f"{h.day} {h.month_name(lang)} {h.year} {h.notation(lang)}"
