"""The courses admin: topics, and the admin's answer to deleting something that
carries training records.

Every delete door of the admin asks ``refuse_deleting`` first: the page delete view
(``before_delete_page``), the bulk delete of pages and of users (subclasses of
Wagtail's bulk actions, registered in their place), Settings > Users
(``before_delete_user``), snippets (``before_delete_snippet``: topics and the question
bank, whose ``quizzes.admin`` says how to describe a held question with
``register_held_kind``) and
any other bulk delete (``before_bulk_action``). When records would be lost, the
confirm screen is replaced by an explanation of what holds the object and what to do
instead; a POST gets the same explanation with 409 Conflict, and nothing is deleted.
The hooks are registered in ``wagtail_hooks.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.pages.bulk_actions.delete import (
    DeleteBulkAction as WagtailPageDeleteBulkAction,
)
from wagtail.models import Page
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.users.views.bulk_actions.delete import (
    DeleteBulkAction as WagtailUserDeleteBulkAction,
)

from . import records
from .models import Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = gettext_lazy("Topics")
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["name", "slug"]
    search_fields = ["name"]
    form_fields = ["name", "slug"]


@dataclass(frozen=True)
class HeldObject:
    """One object that cannot be deleted, with what holds it and what to do."""

    label: str
    records: records.TrainingRecords
    instead_url: str | None
    instead_label: str
    usage_url: str


def _held_page(request, page: Page, held: records.TrainingRecords) -> HeldObject:
    permissions = page.permissions_for_user(request.user)
    can_unpublish = page.live and permissions.can_unpublish()
    return HeldObject(
        label=page.get_admin_display_title(),
        records=held,
        instead_url=(
            reverse("wagtailadmin_pages:unpublish", args=[page.pk])
            if can_unpublish
            else None
        ),
        instead_label=_("Unpublish this page"),
        usage_url=reverse("wagtailadmin_pages:usage", args=[page.pk]),
    )


@dataclass(frozen=True)
class HeldKind:
    """How the refusal describes a kind of object registered by another app."""

    describe: Callable  # (request, obj, held) -> HeldObject
    advice: Callable[[], str]
    back_url: Callable  # (request, sample) -> str


_held_kinds: dict[type, HeldKind] = {}


def register_held_kind(model: type, kind: HeldKind) -> None:
    """Say how to describe held objects of ``model`` (which the app that owns it
    registered with ``records.register_holder``)."""
    _held_kinds[model] = kind


def _held_kind(sample) -> HeldKind | None:
    model = records.holder_kind(sample)
    return _held_kinds.get(model) if model is not None else None


def _held_user(request, user, held) -> HeldObject:
    return HeldObject(
        label=user.get_full_name() or user.get_username(),
        records=held,
        instead_url=reverse("wagtailusers_users:edit", args=[user.pk]),
        instead_label=_("Edit the account and untick Active"),
        usage_url=reverse("wagtailusers_users:usage", args=[user.pk]),
    )


def _advice(sample) -> str:
    if isinstance(sample, Page):
        return _(
            "Deleting a page also deletes the pages below it, so their records count "
            "too. Unpublish the page instead: it leaves the catalogue and the "
            "officers' records stay. Moving it elsewhere in the tree is fine too."
        )
    if (kind := _held_kind(sample)) is not None:
        return kind.advice()
    return _(
        "Deactivate the account instead (untick Active): the person can no longer "
        "sign in, and the training history stays for the statistics and the "
        "certificates."
    )


def _describer(sample):
    if isinstance(sample, Page):
        return _held_page
    if (kind := _held_kind(sample)) is not None:
        return kind.describe
    if isinstance(sample, get_user_model()):
        return _held_user
    return None


def _back_url(request, sample) -> str:
    next_url = get_valid_next_url_from_request(request)
    if next_url:
        return next_url
    if isinstance(sample, Page):
        parent = sample.get_parent()
        return reverse("wagtailadmin_explore", args=[parent.pk if parent else 1])
    if (kind := _held_kind(sample)) is not None:
        return kind.back_url(request, sample)
    return reverse("wagtailusers_users:index")


def held_objects(request, objects: Sequence) -> list[HeldObject]:
    """The objects among ``objects`` (all of one kind) that carry records."""
    if not objects:
        return []
    describe = _describer(objects[0])
    by_pk = records.records_of(objects) if describe else None
    if not by_pk:
        return []
    return [describe(request, obj, by_pk[obj.pk]) for obj in objects if by_pk[obj.pk]]


def refuse_deleting(request, objects: Sequence) -> TemplateResponse | None:
    """The explanation to show instead of deleting ``objects``, or ``None`` when none
    of them carries training records and the deletion may go ahead."""
    objects = list(objects)
    held = held_objects(request, objects)
    if not held:
        return None
    sample = objects[0]
    return TemplateResponse(
        request,
        "courses/admin/delete_refused.html",
        {
            "page_title": _("Cannot delete"),
            "held": held,
            "advice": _advice(sample),
            "selected_count": len(objects),
            "model_name": sample._meta.verbose_name,
            "model_name_plural": sample._meta.verbose_name_plural,
            "back_url": _back_url(request, sample),
        },
        status=409 if request.method == "POST" else 200,
    )


class KeepTrainingRecordsBulkMixin:
    """A bulk delete that shows the explanation instead of its confirm screen, and
    answers a POST with it, when one of the selected objects carries records.

    Wagtail's own bulk delete refuses objects whose reference index shows a PROTECT
    reference with a bare "permission denied"; this comes first and says why."""

    def get(self, request, *args, **kwargs):
        objects, _without_access = self.get_actionable_objects()
        refusal = refuse_deleting(request, objects)
        if refusal is not None:
            return refusal
        return super().get(request, *args, **kwargs)

    def prepare_action(self, objects, objects_without_access):
        refusal = refuse_deleting(self.request, objects)
        if refusal is not None:
            return refusal
        return super().prepare_action(objects, objects_without_access)


class PageDeleteBulkAction(KeepTrainingRecordsBulkMixin, WagtailPageDeleteBulkAction):
    pass


class UserDeleteBulkAction(KeepTrainingRecordsBulkMixin, WagtailUserDeleteBulkAction):
    pass
