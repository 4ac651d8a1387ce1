"""Page routing with one query per level instead of Wagtail's two.

Wagtail finds a child page by slug and then loads its specific class: two queries per
level of the URL. Pages that know their children's types fetch the child together
with its specific table in one query (a join on each candidate type). Children of
other types still route the usual way.
"""

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from wagtail.models import Page


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
