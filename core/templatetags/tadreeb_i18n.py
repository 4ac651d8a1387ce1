"""The page in each of the site's languages: the header's language switch and the
``<link rel="alternate" hreflang>`` of Wagtail pages.

For a Wagtail page the other language is that page's live translation; when it has
none, the same path under the other prefix (which ``core.routing.serve`` sends on to
the page that exists). For any other view, the same view under the other prefix
(Django's ``translate_url``).
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page

register = template.Library()

CACHE = "_tadreeb_language_versions"


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str  # in its own script: «العربية», «English»
    url: str
    current: bool
    #: A Wagtail page that exists in this language (for hreflang links).
    translated: bool
    bidi: bool


def language_versions(request, page=None) -> list[LanguageVersion]:
    """The current page in each language of ``settings.LANGUAGES``; one query for a
    Wagtail page (its translations), none otherwise; kept on the request."""
    if request is None:
        return []
    if not isinstance(page, Page):
        page = None
    key = page.pk if page is not None else None
    cached = getattr(request, CACHE, None)
    if cached is not None and cached[0] == key:
        return cached[1]
    current = translation.get_language()
    translated_urls = {}
    if page is not None:
        for translated in (
            page.get_translations(inclusive=True).live().select_related("locale")
        ):
            url = translated.get_url(request)
            if url:
                translated_urls[translated.locale.language_code] = url
    full_path = request.get_full_path()
    versions = []
    for code, name in settings.LANGUAGES:
        url = translated_urls.get(code) or translate_url(full_path, code)
        versions.append(
            LanguageVersion(
                code=code,
                name=name,
                url=url,
                current=code == current,
                translated=code in translated_urls,
                bidi=translation.get_language_info(code)["bidi"],
            )
        )
    setattr(request, CACHE, (key, versions))
    return versions


@register.simple_tag(takes_context=True)
def language_versions_of_page(context):
    return language_versions(context.get("request"), context.get("page"))
