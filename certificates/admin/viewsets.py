"""Admin ViewSets for certificates: designs (trainers, with a sample preview) and
issued certificates (certificate officers: search, revoke, re-issue)."""

import datetime

import django_filters
from django.db import models
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button, HeaderButton

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


def state_label(certificate: Certificate) -> str:
    """ "Valid", "Expired", "Revoked", "Superseded": the state's label, not its
    stored value."""
    return str(certificate.state.label)


def local_moment(value: datetime.datetime | None) -> str:
    """A moment in the admin's time zone (Kuwait time unless the person chose
    another in their account), written in the active language, with the zone."""
    if value is None:
        return "—"
    # Day first, 24-hour clock, as the rest of the site writes times in Kuwait.
    written = formats.date_format(timezone.localtime(value), "j F Y, H:i")
    zone = timezone.get_current_timezone_name()
    zone_label = _("Kuwait time") if zone == "Asia/Kuwait" else zone
    return f"{written} ({zone_label})"


class CertificateInspectView(generic.InspectView):
    """A certificate as it was issued, its state in words and its times in local
    time; Revoke and Re-issue as buttons on the page for certificate officers."""

    template_name = "certificates/admin/inspect.html"

    def may_act(self) -> bool:
        return self.object.revoked_at is None and self.request.user.has_perm(
            "certificates.revoke_certificate"
        )

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.object.pdf:
            buttons.append(
                HeaderButton(
                    _("Download PDF"),
                    url=reverse("certificates:download", args=[self.object.code]),
                    icon_name="download",
                    priority=50,
                )
            )
        return buttons

    def get_fields(self):
        return ["state", *super().get_fields()]

    def get_field_label(self, field_name, field):
        if field_name == "state":
            return _("Status")
        return super().get_field_label(field_name, field)

    def get_state_display_value(self):
        return state_label(self.object)

    def get_field_display_value(self, field_name, field):
        if isinstance(field, models.DateTimeField):
            # Wagtail writes the stored value (UTC); people read local time.
            return local_moment(getattr(self.object, field_name))
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None or value == "" else value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.may_act():
            context["revoke_url"] = reverse(
                "issued_certificates:revoke", args=[self.object.pk]
            )
            context["reissue_url"] = reverse(
                "issued_certificates:reissue", args=[self.object.pk]
            )
        return context


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
        Column("state", label=_("Status"), accessor=state_label),
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
