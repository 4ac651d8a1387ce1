"""The accounts app's admin: the People menu's ViewSets (officers, ministries) and
Settings > Users with our user model. ``accounts.wagtail_hooks`` registers them; the
users ViewSet is named by ``accounts.apps.TadreebUsersAppConfig``."""
