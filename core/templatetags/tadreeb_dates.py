"""Dates and digits in templates, as an officer in Kuwait reads them.

``{{ value|gregorian }}``
    the Gregorian date in words in the active language (``2 December 2026`` /
    ``2 ديسمبر 2026``), Babel's CLDR data through ``core.dates.gregorian``.
``{{ value|hijri }}``
    the same day in the Umm al-Qura calendar (``core.dates.hijri``).
``{{ value|gregorian_hijri }}``
    both, as HTML: a ``<time>`` with the Gregorian date and the Hijri date beside
    it (in parentheses, ``class="date-hijri"``). For due dates, completion dates
    and certificates.
``{{ value|digits }}`` and ``{% digits %}…{% enddigits %}``
    Western digits written as Arabic-Indic on the Arabic site when the site
    settings ask for them (``SiteSettings.arabic_digits``); the block form changes
    only the text between tags, never attributes. Keep codes (certificate codes,
    ids) out of it.

The setting is read with ``SiteSettings.load()``, which the shared cache answers,
so these filters add no query to a page; on English pages they do not read it.
Empty values give an empty string.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core import dates
from core.models import SiteSettings

register = template.Library()

# Tags and character references (&#39;) keep their digits.
_MARKUP = re.compile(r"(<[^>]*>|&#?[A-Za-z0-9]+;)")


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def _indic(language: str) -> bool:
    """Whether this page writes Arabic-Indic digits (Arabic, and the setting)."""
    return language == "ar" and SiteSettings.load().uses_arabic_indic_digits


def _in_words(value: date | datetime, language: str) -> str:
    # core.dates writes English dates day first (en_GB), as Kuwait does.
    return dates.gregorian(value, language)


def _local(text: str, language: str) -> str:
    return dates.with_digits(text, language, indic=_indic(language))


@register.filter
def gregorian(value: date | datetime | None) -> str:
    if not value:
        return ""
    language = _language()
    return _local(_in_words(value, language), language)


@register.filter
def hijri(value: date | datetime | None) -> str:
    if not value:
        return ""
    language = _language()
    return _local(dates.hijri(value, language), language)


@register.filter
def gregorian_hijri(value: date | datetime | None) -> SafeString | str:
    if not value:
        return ""
    language = _language()
    day = dates.as_local_date(value)
    in_words = _local(_in_words(day, language), language)
    hijri_day = _local(dates.hijri(day, language), language)
    if not hijri_day:
        return format_html('<time datetime="{}">{}</time>', day.isoformat(), in_words)
    return format_html(
        '<time datetime="{}">{}</time> <span class="date-hijri">({})</span>',
        day.isoformat(),
        in_words,
        hijri_day,
    )


@register.filter(is_safe=True)
def digits(value: object) -> str:
    """``value`` (a number or text) in the page's digits. Safe input stays safe:
    digits are not markup."""
    if value is None:
        return ""
    text = str(value)
    language = _language()
    if not _indic(language):
        return value if isinstance(value, SafeString) else text
    converted = dates.arabic_indic(text)
    return mark_safe(converted) if isinstance(value, SafeString) else converted  # noqa: S308


class DigitsNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        output = self.nodelist.render(context)
        if not _indic(_language()):
            return output
        # Only text between tags: attributes (ids, URLs) keep their digits.
        parts = _MARKUP.split(output)
        return mark_safe(  # noqa: S308 - the rendered template, digits changed
            "".join(
                part if index % 2 else dates.arabic_indic(part)
                for index, part in enumerate(parts)
            )
        )


@register.tag(name="digits")
def do_digits(parser: template.base.Parser, token: template.base.Token) -> DigitsNode:
    """``{% digits %}2 of 4 lessons completed{% enddigits %}``: the text inside in
    the page's digits."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("'digits' takes no arguments")
    nodelist = parser.parse(("enddigits",))
    parser.delete_first_token()
    return DigitsNode(nodelist)
