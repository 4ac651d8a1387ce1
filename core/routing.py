"""Page routing with one query per level instead of Wagtail's two.

Wagtail finds a child page by slug and then loads its specific class: two queries per
level of the URL. Pages that know their children's types fetch the child together
with its specific table in one query (a join on each candidate type). Children of
other types still route the usual way.
"""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponseRedirect
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site


class FastChildRoutingMixin:
    #: Model labels of the children to fetch in one query.
    fast_child_models: tuple[str, ...] = ()

    def route(self, request, path_components):
        if not path_components or not self.fast_child_models:
            return super().route(request, path_components)
        child_slug, remaining = path_components[0], path_components[1:]
        accessors = [
            apps.get_model(label)._meta.model_name for label in self.fast_child_models
        ]
        child = (
            Page.objects.child_of(self)
            .filter(slug=child_slug)
            .select_related(*accessors)
            .first()
        )
        specific = None
        for accessor in accessors if child is not None else ():
            try:
                specific = getattr(child, accessor)
                break
            except ObjectDoesNotExist:
                continue
        if specific is None:
            return super().route(request, path_components)
        # Treebeard's get_parent() uses this instead of querying.
        specific._cached_parent_obj = self
        return specific.route(request, remaining)


# --- Pages under a language prefix ----------------------------------------------
#
# Wagtail serves /ar/… from the Arabic tree (the site's root page localized). A page
# that has no Arabic translation yet, or an old link with the English slugs under
# /ar/, is found in the source tree (the site's root, English) and redirected: to
# its translation in the language of the URL when there is one, else to the page in
# its own language (/en/…). A redirect, rather than the English page under /ar/,
# so that a page's ``lang`` and ``dir`` always match its text and the language
# switch never offers a translation that does not exist.


def _route(page, request, components):
    try:
        return page.specific.route(request, components)
    except Http404:
        return None


def serve(request, path):
    """Wagtail's page view (``wagtail.views.serve``), with the fallback above."""
    from wagtail import views as wagtail_views  # loads models: not at import time

    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    root = site.root_page
    locale = Locale.get_active()
    if root.locale_id == locale.pk:
        localized_root = root
    else:
        localized_root = root.get_translation_or_none(locale)
    components = [component for component in path.split("/") if component]
    if localized_root is not None:
        route = _route(localized_root, request, components)
        if route is not None:
            # wagtail.views.serve (and the user bar) read the route from here.
            request._wagtail_route_for_request = route
            return wagtail_views.serve(request, path)
    if localized_root is root:
        raise Http404
    target = _fallback_url(request, root, locale, components)
    if target is None:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseRedirect(target, status=307)
    shown_language = translation.get_language_from_path(target)
    if shown_language and shown_language != locale.language_code:
        shown_in = translation.get_language_info(shown_language)
        messages.info(
            request,
            _(
                "This page is not available in your language yet: it is shown in "
                "%(language)s."
            )
            % {"language": shown_in["name_translated"]},
        )
    return HttpResponseRedirect(target)


def _fallback_url(request, root, locale, components) -> str | None:
    route = _route(root, request, components)
    if route is None:
        return None
    page = route[0]
    translated = page.get_translation_or_none(locale)
    target_page = translated if translated is not None and translated.live else page
    url = target_page.get_url(request)
    if not url:
        return None
    # What followed the page's own path (a sub-route) and the query string go along.
    own_path = page.url_path[len(root.url_path) :].strip("/").split("/")
    rest = components[len([c for c in own_path if c]) :]
    if rest:
        url += "/".join(rest) + "/"
    if request.META.get("QUERY_STRING"):
        url += "?" + request.META["QUERY_STRING"]
    if url.split("?")[0] == request.path:
        return None
    return url
