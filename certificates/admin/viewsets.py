"""Admin ViewSets for certificates: designs (trainers, with a sample preview) and
issued certificates (certificate officers: search, revoke, re-issue)."""

import django_filters
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button

from accounts.models import Gender
from core.exports import SafeCsvExportMixin

from ..models import Certificate, CertificateTemplate
from .corrections import NameCorrectionViewSet
from .views import DesignPreviewView, ReissueView, RevokeView


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
    search_fields = ["code", "name_en", "name_ar", "course_title", "course_title_ar"]
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
        "course_title_ar",
        "ministry_en",
        "ministry_ar",
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
        "course_title_ar",
        "gender",
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
            path("<uuid:pk>/revoke/", RevokeView.as_view(), name="revoke"),
            path("<uuid:pk>/reissue/", ReissueView.as_view(), name="reissue"),
        ]


SAMPLE_BUTTONS = (
    (Gender.MALE, _("Sample PDF: a man")),
    (Gender.FEMALE, _("Sample PDF: a woman")),
    (Gender.UNDISCLOSED, _("Sample PDF: gender not given")),
)


class CertificateTemplateEditView(generic.EditView):
    """The design editor, with a sample PDF of each Arabic variant."""

    @cached_property
    def header_more_buttons(self):
        preview = reverse("certificate_designs:preview", args=[self.object.pk])
        return [
            *super().header_more_buttons,
            *(
                Button(
                    label,
                    url=f"{preview}?gender={gender}",
                    icon_name="doc-full",
                    priority=60 + number,
                    attrs={"target": "_blank", "rel": "noopener"},
                )
                for number, (gender, label) in enumerate(SAMPLE_BUTTONS)
            ),
        ]


class CertificateTemplateViewSet(ModelViewSet):
    model = CertificateTemplate
    edit_view_class = CertificateTemplateEditView
    icon = "doc-empty-inverse"
    menu_label = _("Certificate designs")
    list_display = [
        "name",
        "title_en",
        "is_default",
        BooleanColumn("arabic_variants_checked", label=_("Arabic variants checked")),
    ]
    copy_view_enabled = True

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/preview.pdf", DesignPreviewView.as_view(), name="preview"),
        ]


class CertificatesViewSetGroup(ModelViewSetGroup):
    menu_label = _("Certificates")
    menu_icon = "doc-full"
    menu_order = 230
    items = (
        CertificateViewSet("issued_certificates"),
        CertificateTemplateViewSet("certificate_designs"),
        NameCorrectionViewSet("name_corrections"),
    )
