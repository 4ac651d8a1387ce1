"""Admin wiring for accounts: registers the People menu (officers and ministries).
The ViewSets live in ``accounts.admin``."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from core.admin import ReadOnlyPermissionPolicy

from .admin.viewsets import PeopleViewSetGroup
from .models import Officer

# Officer records are read here, never written: accounts are managed under
# Settings > Users.
register_permission_policy(Officer, ReadOnlyPermissionPolicy(Officer), exact_class=True)


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleViewSetGroup()
