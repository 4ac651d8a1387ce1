"""The accounts app's own configuration is the one Django loads."""

from allauth.mfa.signals import authenticator_added
from django.apps import apps
from django.db.models.signals import pre_save

from accounts.apps import AccountsConfig
from accounts.models import User


def test_django_loads_the_accounts_config_that_connects_its_receivers():
    assert type(apps.get_app_config("accounts")) is AccountsConfig
    assert pre_save.has_listeners(User)
    assert authenticator_added.has_listeners()
