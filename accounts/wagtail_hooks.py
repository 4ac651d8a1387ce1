"""Admin wiring for accounts: the People menu (officers and ministries)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import Officer
from .viewsets import PeopleViewSetGroup, ReadOnlyPermissionPolicy

register_permission_policy(Officer, ReadOnlyPermissionPolicy(Officer), exact_class=True)


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleViewSetGroup()
