"""Links every page template needs, in the language of the request."""

from django.urls import NoReverseMatch, reverse


def language_urls(request):
    """``home_url`` and ``courses_url`` under the current language's prefix (no
    query: the page tree sends /ar/courses/ on if its slug differs)."""
    try:
        home_url = reverse("wagtail_serve", args=("",))
    except NoReverseMatch:
        home_url = "/"
    return {"home_url": home_url, "courses_url": f"{home_url}courses/"}
