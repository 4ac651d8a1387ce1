"""Training reports > API tokens: the tokens with which ministries' systems pull
statistics from the REST API.

A focal point lists its own ministry's tokens, makes one (shown in full once, on the
page that follows) and revokes one; the national committee and superusers see every
token and may also make national tokens. Tokens are never edited or deleted: a
revoked token stays listed, with who revoked it. The rules live in
``accounts.services``; creation and revocation go to Wagtail's audit log there.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput
from wagtail.permission_policies import ModelPermissionPolicy

from accounts import access
from accounts import services as account_services
from accounts.models import ApiToken, Ministry

DEFAULT_VALIDITY = timedelta(days=365)
# A token is a standing credential: it must be renewed at least this often.
MAX_VALIDITY = timedelta(days=5 * 365)


class ApiTokenPermissionPolicy(ModelPermissionPolicy):
    """Tokens are made and revoked ("revoke" is the model's change permission),
    never edited or deleted; and only by those who may hold them: focal points of a
    ministry, the national committee and superusers."""

    def user_has_permission(self, user, action):
        if action in ("change", "delete"):
            return False
        if action == "revoke":
            action = "change"
        # The model permission first: it is cached on the user, so staff without
        # it (trainers) cost no query on every admin page's menu.
        return super().user_has_permission(
            user, action
        ) and access.can_manage_api_tokens(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and (
            access.api_tokens_visible_to(user).filter(pk=instance.pk).exists()
        )


permission_policy = ApiTokenPermissionPolicy(ApiToken)


# --- Listing -----------------------------------------------------------------------


class MomentColumn(Column):
    """A date and time as such (Wagtail's DateColumn says "3 days ago", which reads
    wrongly for an expiry in the future); a dash when there is none."""

    def get_value(self, instance):
        value = super().get_value(instance)
        if value is None:
            return "—"
        return date_format(timezone.localtime(value), "j M Y, H:i")


class StateColumn(Column):
    def get_value(self, instance):
        return instance.state.label


class ApiTokenIndexView(generic.IndexView):
    def get_base_queryset(self):
        return access.api_tokens_visible_to(self.request.user)

    @cached_property
    def may_revoke(self) -> bool:
        return permission_policy.user_has_permission(self.request.user, "revoke")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.may_revoke and instance.revoked_at is None:
            buttons.append(
                ListingMenuItem(
                    _("Revoke"),
                    url=reverse("api_tokens:revoke", args=[instance.pk]),
                    icon_name="bin",
                    priority=30,
                )
            )
        return buttons


# --- Creation ----------------------------------------------------------------------


class ApiTokenForm(WagtailAdminModelForm):
    """Name and expiry date; the ministry is the focal point's own, while the
    committee picks one or none (a national token)."""

    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=AdminDateInput,
        help_text=_("The token stops working at the end of this day."),
    )

    class Meta:
        model = ApiToken
        fields = ["name", "ministry"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["expires_on"].initial = timezone.localdate() + DEFAULT_VALIDITY
        if for_user is not None and access.may_hold_national_tokens(for_user):
            ministry = self.fields["ministry"]
            ministry.queryset = Ministry.objects.filter(is_active=True).order_by("code")
            ministry.required = False
            ministry.empty_label = _("None: a national token (every ministry)")
        else:
            del self.fields["ministry"]

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        if day > timezone.localdate() + MAX_VALIDITY:
            raise forms.ValidationError(
                _("A token may last at most five years; choose an earlier day.")
            )
        return day

    def expires_at(self) -> datetime:
        day = self.cleaned_data["expires_on"] + timedelta(days=1)
        return timezone.make_aware(datetime.combine(day, time.min))


class ApiTokenCreateView(generic.CreateView):
    """Makes the token through the service and shows it, once, in the response to
    the form (never stored, never put in a message or the session)."""

    def form_valid(self, form):
        user = self.request.user
        ministry = (
            form.cleaned_data.get("ministry")
            if "ministry" in form.fields
            else user.ministry
        )
        issued = account_services.create_api_token(
            name=form.cleaned_data["name"],
            ministry=ministry,
            created_by=user,
            expires_at=form.expires_at(),
        )
        response = TemplateResponse(
            self.request,
            "reporting/admin/tokens/created.html",
            {
                "page_title": _("API token created"),
                "header_icon": "key",
                "token": issued.token,
                "plaintext": issued.plaintext,
                "index_url": reverse("api_tokens:index"),
            },
        )
        response["Cache-Control"] = "no-store"
        return response


# --- Revocation ----------------------------------------------------------------------


def revoke_view(request, pk):
    """GET asks for confirmation; POST revokes."""
    if not permission_policy.user_has_permission(request.user, "revoke"):
        raise PermissionDenied
    if pk > 2**31 - 1:
        raise Http404
    token = access.api_tokens_visible_to(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    if request.method == "POST":
        account_services.revoke_api_token(token, request.user)
        messages.success(
            request,
            _("API token '%(name)s' (%(prefix)s…) revoked.")
            % {"name": token.name, "prefix": token.prefix},
        )
        return redirect("api_tokens:index")
    return TemplateResponse(
        request,
        "reporting/admin/tokens/confirm_revoke.html",
        {
            "page_title": _("Revoke API token"),
            "header_icon": "key",
            "token": token,
            "index_url": reverse("api_tokens:index"),
        },
    )


# --- Wiring ------------------------------------------------------------------------


class ApiTokenViewSet(ModelViewSet):
    model = ApiToken
    icon = "key"
    menu_label = _("API tokens")
    permission_policy = permission_policy
    index_view_class = ApiTokenIndexView
    add_view_class = ApiTokenCreateView
    copy_view_enabled = False
    list_display = [
        Column("name", label=_("Name")),
        Column("prefix", label=_("Prefix")),
        Column("ministry", label=_("Ministry"), accessor="ministry.code"),
        MomentColumn("created_at", label=_("Created")),
        MomentColumn("expires_at", label=_("Expires")),
        MomentColumn("last_used_at", label=_("Last used")),
        MomentColumn("revoked_at", label=_("Revoked")),
        StateColumn("state", label=_("State")),
    ]
    list_per_page = 50
    ordering = ["-created_at"]

    def get_form_class(self, for_update=False):
        return ApiTokenForm

    def get_urlpatterns(self):
        # Listing, making and revoking only: tokens are not edited, deleted, nor
        # shown anywhere else.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", self.add_view, name="add"),
            path("revoke/<int:pk>/", revoke_view, name="revoke"),
        ]

    def register_admin_url_finder(self):
        # No edit page for a token to link to from the audit log.
        pass


api_token_viewset = ApiTokenViewSet(
    "api_tokens", url_prefix="training-reports/api-tokens"
)


class ApiTokenMenuItem(MenuItem):
    def is_shown(self, request):
        return permission_policy.user_has_any_permission(request.user, ["add", "view"])


def api_token_menu_item():
    return ApiTokenMenuItem(
        _("API tokens"),
        reverse("api_tokens:index"),
        name="api-tokens",
        icon_name="key",
        order=400,
    )
