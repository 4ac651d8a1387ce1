"""Admin pieces shared by the apps above core (``django.contrib.admin`` is not
installed, so nothing autodiscovers this module)."""

from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Records read in the admin, never written there (officers, whose accounts are
    managed under Settings > Users; issued certificates, which are revoked and
    re-issued by their own views). Even superusers get only the "view" action."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)
