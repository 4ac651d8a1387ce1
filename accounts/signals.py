"""Keep ``User.is_staff`` in step with membership of the staff groups, keep the
account's language and the Wagtail admin's language preference equal, and count the
code entered while setting up an authenticator as the session's second factor.

``is_staff`` only decides whether pages show staff navigation (the admin link and
Wagtail's user bar) without a permission query on every page view; every admin view
still checks permissions itself.
"""

from allauth.mfa.signals import authenticator_added
from django.conf import settings
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from wagtail.users.models import UserProfile

from . import roles, services
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


@receiver(authenticator_added, dispatch_uid="accounts.second_factor_on_activation")
def count_activation_as_second_factor(sender, request, user, authenticator, **kw):
    # Setting up an authenticator asks for a code from it: that is this session's
    # second factor (see services.second_factor_owed).
    if request is not None and authenticator.type != authenticator.Type.RECOVERY_CODES:
        services.record_second_factor(request, authenticator)


# One language per person: ``User.language`` (the switch, the account page, sign-up)
# and Wagtail's ``UserProfile.preferred_language`` (the admin's Account >
# Preferences) follow each other. Updates through the QuerySet, so that neither
# save sets off the other's receiver again.


@receiver(post_save, sender=User, dispatch_uid="accounts.language_to_admin_profile")
def language_to_admin_profile(sender, instance: User, raw=False, **kwargs):
    update_fields = kwargs.get("update_fields")
    if raw or (update_fields is not None and "language" not in update_fields):
        return
    UserProfile.objects.filter(user_id=instance.pk).exclude(
        preferred_language=instance.language
    ).update(preferred_language=instance.language)


@receiver(
    post_save, sender=UserProfile, dispatch_uid="accounts.admin_profile_to_language"
)
def admin_profile_to_language(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created and not instance.preferred_language:
        # A new profile (Wagtail makes one on first use) starts from the account.
        language = (
            User.objects.filter(pk=instance.user_id)
            .values_list("language", flat=True)
            .first()
        )
        if language:
            UserProfile.objects.filter(pk=instance.pk).update(
                preferred_language=language
            )
            instance.preferred_language = language
        return
    language = instance.preferred_language
    if language and language not in dict(settings.LANGUAGES):
        return
    updated = (
        User.objects.filter(pk=instance.user_id)
        .exclude(language=language)
        .update(language=language)
    )
    user = instance._state.fields_cache.get("user")
    if updated and user is not None:
        user.language = language
