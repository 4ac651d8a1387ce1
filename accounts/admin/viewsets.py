"""Admin ViewSets for ministries, officer records and user accounts.

- Ministries: managed by administrators; the national committee may look.
- Officers: a read-only listing with search, filters and CSV/XLSX export, scoped by
  ``access.officers_visible_to`` (a focal point sees only its own ministry).
- Users: Wagtail's own account management, with forms for our user model.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.users.views.users import DeleteView as WagtailUserDeleteView
from wagtail.users.views.users import IndexView as WagtailUserIndexView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from core.exports import SafeCsvExportMixin

from .. import access
from ..filters import MinistryFilterSet, OfficerFilterSet
from ..forms import UserCreationForm, UserEditForm
from ..models import Ministry, Officer

OFFICER_EXPORT_FIELDS = [
    "email",
    "full_name_en",
    "full_name_ar",
    "ministry.code",
    "ministry.name_en",
    "get_cadre_display",
    "get_gender_display",
    "job_title",
    "employee_number",
    "is_active",
    "date_joined",
]

OFFICER_EXPORT_HEADINGS = {
    "email": _("E-mail"),
    "full_name_en": _("Name (English)"),
    "full_name_ar": _("Name (Arabic)"),
    "ministry.code": _("Ministry code"),
    "ministry.name_en": _("Ministry"),
    "get_cadre_display": _("Cadre"),
    "get_gender_display": _("Gender"),
    "job_title": _("Job title"),
    "employee_number": _("Employee number"),
    "is_active": _("Active"),
    "date_joined": _("Joined"),
}


class OfficerIndexView(SafeCsvExportMixin, generic.IndexView):
    def get_base_queryset(self):
        return access.officers_visible_to(self.request.user)


class OfficerInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        try:
            return access.officers_visible_to(self.request.user).get(pk=self.pk)
        except (Officer.DoesNotExist, ValueError) as exc:
            raise Http404 from exc


class OfficerViewSet(ModelViewSet):
    model = Officer
    icon = "group"
    menu_label = _("Officers")
    index_view_class = OfficerIndexView
    inspect_view_class = OfficerInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = OfficerFilterSet
    search_fields = ["full_name_en", "full_name_ar", "email", "job_title"]
    ordering = ["full_name_en", "email"]
    list_per_page = 50
    list_display = [
        "full_name_en",
        "email",
        Column("ministry", label=_("Ministry"), accessor="ministry.code"),
        Column("cadre", label=_("Cadre"), accessor="get_cadre_display"),
        Column("gender", label=_("Gender"), accessor="get_gender_display"),
        BooleanColumn("is_active", label=_("Active")),
        DateColumn("date_joined", label=_("Joined")),
    ]
    list_export = OFFICER_EXPORT_FIELDS
    export_headings = OFFICER_EXPORT_HEADINGS
    export_filename = "officers"
    inspect_view_fields = [
        "email",
        "full_name_en",
        "full_name_ar",
        "ministry",
        "cadre",
        "gender",
        "job_title",
        "employee_number",
        "is_active",
        "date_joined",
        "last_login",
    ]

    # Never used: the permission policy allows no add or edit.
    form_fields = ["full_name_en", "full_name_ar"]


class MinistryViewSet(ModelViewSet):
    model = Ministry
    icon = "home"
    menu_label = _("Ministries")
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = MinistryFilterSet
    search_fields = ["code", "name_en", "name_ar"]
    list_display = ["name_en", "code", "name_ar", BooleanColumn("is_active")]
    list_export = ["code", "name_en", "name_ar", "is_active", "contact_email"]
    export_filename = "ministries"
    edit_handler = ObjectList(
        [
            FieldPanel("code"),
            FieldPanel("name_en"),
            FieldPanel("name_ar"),
            FieldPanel("is_active"),
            FieldPanel("contact_email"),
            InlinePanel("email_domains", label=_("E-mail domains"), min_num=1),
        ]
    )


class PeopleViewSetGroup(ModelViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 250
    items = (OfficerViewSet("officers"), MinistryViewSet("ministries"))


class UserDeleteView(WagtailUserDeleteView):
    """Accounts with training records are kept for the statistics and the audit
    trail. The ``before_delete_user`` hook (``courses.admin``) explains that
    instead of the confirm screen; this catches a record created meanwhile, which
    the PROTECT keys refuse."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _(
                    "This account has training records that must be kept, so it "
                    "cannot be deleted. Deactivate it instead (untick Active)."
                ),
            )
            return redirect(self.get_success_url())


class UserIndexView(SafeCsvExportMixin, WagtailUserIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("ministry")


class UserViewSet(WagtailUserViewSet):
    """Settings > Users, with our fields instead of first and last name."""

    index_view_class = UserIndexView
    list_export = OFFICER_EXPORT_FIELDS
    export_headings = OFFICER_EXPORT_HEADINGS
    export_filename = "users"
    delete_view_class = UserDeleteView

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm

    @property
    def create_template_name(self):
        return "accounts/users/create.html"

    @property
    def edit_template_name(self):
        return "accounts/users/edit.html"
