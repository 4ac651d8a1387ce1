"""Admin wiring for courses: registers the topics snippet and the refusal to delete
what carries training records. The views live in ``admin.py``."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .admin import (
    PageDeleteBulkAction,
    TopicViewSet,
    UserDeleteBulkAction,
    refuse_deleting,
)

register_snippet(TopicViewSet)


# --- Training records are never deleted ---------------------------------------------


@hooks.register("before_delete_page")
def keep_records_of_page(request, page):
    return refuse_deleting(request, [page])


@hooks.register("before_delete_snippet")
def keep_records_of_snippets(request, instances):
    return refuse_deleting(request, instances)


@hooks.register("before_delete_user")
def keep_records_of_user(request, user):
    return refuse_deleting(request, [user])


# In place of Wagtail's own bulk deletes (same action type): registered after them.
hooks.register("register_bulk_action", PageDeleteBulkAction, order=1)
hooks.register("register_bulk_action", UserDeleteBulkAction, order=1)


@hooks.register("before_bulk_action")
def keep_records_in_bulk_delete(request, action_type, objects, action_class_instance):
    if action_type == "delete":
        return refuse_deleting(request, objects)
    return None
