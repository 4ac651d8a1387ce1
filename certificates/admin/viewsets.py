"""Admin wiring for certificates: designs (trainers, with a sample preview) and
issued certificates (certificate officers: search, revoke, re-issue)."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from accounts.viewsets import ReadOnlyPermissionPolicy
from core.exports import SafeCsvExportMixin

from . import services
from .models import Certificate, CertificateTemplate, RevocationReason


class CertificateFilterSet(WagtailFilterSet):
    revoked = django_filters.BooleanFilter(
        label=_("Revoked"), field_name="revoked_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Certificate
        fields = ["course"]


class CertificateInspectView(generic.InspectView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.object.revoked_at is None and self.request.user.has_perm(
            "certificates.revoke_certificate"
        ):
            buttons += [
                Button(
                    _("Revoke"),
                    url=reverse("issued_certificates:revoke", args=[self.object.pk]),
                    icon_name="warning",
                    priority=30,
                ),
                Button(
                    _("Re-issue (corrected)"),
                    url=reverse("issued_certificates:reissue", args=[self.object.pk]),
                    icon_name="resubmit",
                    priority=40,
                ),
            ]
        if self.object.pdf:
            buttons.append(
                Button(
                    _("Download PDF"),
                    url=reverse("certificates:download", args=[self.object.code]),
                    icon_name="download",
                    priority=50,
                )
            )
        return buttons


class CertificateIndexView(SafeCsvExportMixin, generic.IndexView):
    """The listing; its CSV export neutralises text that looks like a formula."""


class CertificateViewSet(ModelViewSet):
    model = Certificate
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    icon = "doc-full"
    menu_label = _("Issued certificates")
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = CertificateFilterSet
    search_fields = ["code", "name_en", "name_ar", "course_title"]
    list_display = [
        "code",
        "name_en",
        "course_title",
        Column("status", label=_("Status"), accessor="status"),
        DateColumn("issued_at", label=_("Issued")),
    ]
    list_export = [
        "code",
        "name_en",
        "name_ar",
        "course_title",
        "ministry_en",
        "issued_at",
        "expires_at",
        "revoked_at",
        "revocation_reason",
    ]
    export_filename = "certificates"
    form_fields = ["revocation_note"]  # never used: no add or edit (see policy)
    inspect_view_fields = [
        "code",
        "name_en",
        "name_ar",
        "course_title",
        "ministry_en",
        "ministry_ar",
        "issued_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
        "revocation_note",
        "superseded_by",
        "pdf_sha256",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<uuid:pk>/revoke/", revoke_view, name="revoke"),
            path("<uuid:pk>/reissue/", reissue_view, name="reissue"),
        ]


class CertificateTemplateViewSet(ModelViewSet):
    model = CertificateTemplate
    icon = "doc-empty-inverse"
    menu_label = _("Certificate designs")
    list_display = ["name", "title_en", "is_default"]
    copy_view_enabled = True

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/preview.pdf", design_preview_view, name="preview"),
        ]


class CertificatesViewSetGroup(ModelViewSetGroup):
    menu_label = _("Certificates")
    menu_icon = "doc-full"
    menu_order = 230
    items = (
        CertificateViewSet("issued_certificates"),
        CertificateTemplateViewSet("certificate_designs"),
    )


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (v, label) for v, label in RevocationReason.choices if v != "superseded"
        ],
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, max_length=2000)


class ReissueForm(forms.Form):
    note = forms.CharField(
        label=_("What was corrected"),
        widget=forms.Textarea,
        max_length=2000,
        help_text=_("For example: name corrected at the officer's request."),
    )


def _certificate_for_officer(request, pk):
    if not request.user.has_perm("certificates.revoke_certificate"):
        raise PermissionDenied
    return get_object_or_404(Certificate, pk=pk)


def revoke_view(request, pk):
    certificate = _certificate_for_officer(request, pk)
    form = RevokeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.revoke(
                    certificate,
                    request.user,
                    form.cleaned_data["reason"],
                    form.cleaned_data["note"],
                )
            except services.CertificateRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request, _("Certificate %s revoked.") % certificate.code
                )
                return redirect("issued_certificates:inspect", certificate.pk)
        status = 400
    return TemplateResponse(
        request,
        "certificates/admin/action_form.html",
        {
            "certificate": certificate,
            "form": form,
            "heading": _("Revoke %s") % certificate.code,
            "button": _("Revoke the certificate"),
        },
        status=status,
    )


def reissue_view(request, pk):
    certificate = _certificate_for_officer(request, pk)
    form = ReissueForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                new = services.reissue(
                    certificate, request.user, form.cleaned_data["note"]
                )
            except services.CertificateRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request,
                    _("Certificate %(old)s replaced by %(new)s.")
                    % {"old": certificate.code, "new": new.code},
                )
                return redirect("issued_certificates:inspect", new.pk)
        status = 400
    return TemplateResponse(
        request,
        "certificates/admin/action_form.html",
        {
            "certificate": certificate,
            "form": form,
            "heading": _("Re-issue %s") % certificate.code,
            "button": _("Revoke as superseded and issue a new certificate"),
        },
        status=status,
    )


def design_preview_view(request, pk):
    """A sample certificate in this design, for staff who may edit designs."""
    if not request.user.has_perm("certificates.change_certificatetemplate"):
        raise PermissionDenied
    design = CertificateTemplate.objects.filter(pk=pk).first()
    if design is None:
        raise Http404
    pdf = services.sample_pdf(design)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="design-{pk}-sample.pdf"'
    return response


# Certificates are records: read, revoked and re-issued, never edited or deleted.
register_permission_policy(
    Certificate, ReadOnlyPermissionPolicy(Certificate), exact_class=True
)


@hooks.register("register_admin_viewset")
def register_certificate_viewsets():
    return CertificatesViewSetGroup()


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    actions.register_action(
        "certificates.revoke", _("Revoke certificate"), _("Certificate revoked")
    )
    actions.register_action(
        "certificates.reissue", _("Re-issue certificate"), _("Certificate re-issued")
    )
