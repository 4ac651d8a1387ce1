"""Admin pieces shared by the apps above core (``django.contrib.admin`` is not
installed, so nothing autodiscovers this module)."""

from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Records read in the admin, never written there (officers, whose accounts are
    managed under Settings > Users; issued certificates, which are revoked and
    re-issued by their own views). Even superusers get only the "view" action."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


class SuperuserRequiredMixin:
    """Background tasks carry other people's ids and errors: superusers only."""

    def dispatch(self, request, *args, **kwargs):
        from django.core.exceptions import PermissionDenied

        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
