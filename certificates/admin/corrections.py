"""Admin views for name corrections: the list, the decision page, the "Pending name
corrections" panel on the admin home, and the ViewSet that gives them URLs and a
menu item.

Who sees which request is ``accounts.access.name_corrections_decidable_by``: a
focal point sees only its own ministry's officers (a request of another ministry
answers 404), certificate officers and superusers see every one.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.base import (
    BaseListingView,
    WagtailAdminTemplateMixin,
)
from wagtail.admin.viewsets.base import ViewSet

from accounts import access
from accounts.models import NameCorrectionRequest, NameCorrectionState

from .. import corrections, services
from ..models import Certificate

NAMESPACE = "name_corrections"


def _may_decide(request) -> bool:
    return access.may_decide_name_corrections(request.user)


class NameCorrectionFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=NameCorrectionState.choices
    )

    class Meta:
        model = NameCorrectionRequest
        fields = ["state"]


class NameCorrectionIndexView(BaseListingView):
    """Every request the staff member may decide: pending ones first, oldest
    first, then the decided ones (the record of every decision)."""

    page_title = _("Name corrections")
    header_icon = "user"
    paginate_by = 50
    filterset_class = NameCorrectionFilterSet
    index_url_name = f"{NAMESPACE}:index"
    index_results_url_name = f"{NAMESPACE}:index_results"
    verbose_name_plural = _("name corrections")
    columns = [
        TitleColumn(
            "officer",
            label=_("Officer"),
            accessor="officer.full_name_en",
            get_url=lambda request: reverse(f"{NAMESPACE}:decide", args=[request.pk]),
        ),
        Column("ministry", label=_("Ministry"), accessor="officer.ministry"),
        Column("old_name_en", label=_("Current name")),
        Column("new_name_en", label=_("Corrected name")),
        Column("new_name_ar", label=_("Corrected name (Arabic)")),
        Column("state", label=_("State"), accessor="get_state_display"),
        DateColumn("created_at", label=_("Requested")),
        DateColumn("decided_at", label=_("Decided")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not _may_decide(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        waiting = Case(
            When(state=NameCorrectionState.PENDING, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        return (
            access.name_corrections_decidable_by(self.request.user)
            .annotate(waiting=waiting)
            .order_by("-waiting", "-created_at")
        )

    def get_breadcrumbs_items(self):
        return [
            *WagtailAdminTemplateMixin.breadcrumbs_items,
            {"url": "", "label": self.page_title},
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (NameCorrectionState.APPROVED, _("Approve: correct the name and re-issue")),
            (NameCorrectionState.REJECTED, _("Reject: keep the name as printed")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the officer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting: the officer is told why."),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == NameCorrectionState.REJECTED
            and not (data.get("note") or "").strip()
        ):
            self.add_error(
                "note", _("Say why the correction is rejected: the officer is told.")
            )
        return data


class NameCorrectionDecideView(WagtailAdminTemplateMixin, FormView):
    """One request: the names before and after, the reason, the certificates that
    would be re-issued, and (while pending) the decision form. A refusal shows the
    form again with status 400."""

    template_name = "certificates/admin/corrections/decide.html"
    form_class = DecisionForm
    header_icon = "user"

    def dispatch(self, request, *args, pk, **kwargs):
        if not _may_decide(request):
            raise PermissionDenied
        self.correction = (
            access.name_corrections_decidable_by(request.user).filter(pk=pk).first()
        )
        if self.correction is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Name correction for %s") % self.correction.officer.full_name_en

    def get_breadcrumbs_items(self):
        return [
            *WagtailAdminTemplateMixin.breadcrumbs_items,
            {"url": reverse(f"{NAMESPACE}:index"), "label": _("Name corrections")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        certificates = Certificate.objects.valid().filter(
            user_id=self.correction.officer_id
        )
        return super().get_context_data(
            correction=self.correction,
            certificates=certificates,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.correction.is_pending:
            form = self.get_form()
            form.add_error(None, _("This name correction has already been decided."))
            return self.form_invalid(form)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if data["decision"] == NameCorrectionState.APPROVED:
                decision = corrections.approve(
                    self.correction, self.request.user, data["note"]
                )
                count = len(decision.reissued)
                message = ngettext(
                    "Name correction approved; %(count)s certificate re-issued.",
                    "Name correction approved; %(count)s certificates re-issued.",
                    count,
                ) % {"count": count}
            else:
                corrections.reject(self.correction, self.request.user, data["note"])
                message = _("Name correction rejected; the officer is told why.")
        except services.CertificateRefused as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        except NameCorrectionRequest.DoesNotExist as missing:
            raise Http404 from missing
        messages.success(self.request, message)
        return redirect(f"{NAMESPACE}:index")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PendingNameCorrectionsPanel(Component):
    """The admin home's "Pending name corrections": the oldest few waiting for
    this staff member, and how many there are."""

    name = "pending_name_corrections"
    template_name = "certificates/admin/corrections/panel.html"
    order = 60
    shown = 5

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        pending = corrections.pending_for(self.request.user)
        return {
            "corrections": list(pending[: self.shown]),
            "total": pending.count(),
            "index_url": reverse(f"{NAMESPACE}:index")
            + f"?state={NameCorrectionState.PENDING}",
            "all_url": reverse(f"{NAMESPACE}:index"),
        }


def add_pending_name_corrections_panel(request, panels):
    if _may_decide(request):
        panels.append(PendingNameCorrectionsPanel(request))


class NameCorrectionMenuItem(MenuItem):
    def is_shown(self, request):
        return _may_decide(request)


class NameCorrectionViewSet(ViewSet):
    icon = "user"
    menu_label = _("Name corrections")
    menu_item_class = NameCorrectionMenuItem

    def get_urlpatterns(self):
        return [
            path("", NameCorrectionIndexView.as_view(), name="index"),
            path(
                "results/",
                NameCorrectionIndexView.as_view(results_only=True),
                name="index_results",
            ),
            path("<int:pk>/", NameCorrectionDecideView.as_view(), name="decide"),
        ]
