"""Keep ``User.is_staff`` in step with membership of the staff groups.

``is_staff`` only decides whether pages show staff navigation (the admin link and
Wagtail's user bar) without a permission query on every page view; every admin view
still checks permissions itself.
"""

from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver

from . import roles
from .models import User


def staff_flag(user: User) -> bool:
    if user.is_superuser:
        return True
    if user.pk is None:
        return False
    return user.groups.filter(name__in=roles.STAFF_GROUPS).exists()


@receiver(pre_save, sender=User, dispatch_uid="accounts.user_staff_flag_on_save")
def set_staff_flag_on_save(sender, instance: User, raw=False, **kwargs):
    if not raw:
        instance.is_staff = staff_flag(instance)


@receiver(
    m2m_changed, sender=User.groups.through, dispatch_uid="accounts.user_staff_flag"
)
def set_staff_flag_on_group_change(sender, instance, action, reverse, pk_set, **kw):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        instance.__dict__.pop("_tadreeb_staff_groups", None)
    users = (
        User.objects.filter(pk__in=pk_set or [])
        if reverse
        else User.objects.filter(pk=instance.pk)
    )
    if reverse and action == "post_clear":
        users = User.objects.filter(is_staff=True)
    for user in users:
        flag = staff_flag(user)
        if user.is_staff != flag:
            User.objects.filter(pk=user.pk).update(is_staff=flag)
            if not reverse:
                instance.is_staff = flag
