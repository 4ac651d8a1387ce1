"""Trainers may translate (wagtail-localize's ``submit_translation``): the staff
groups are synced again now that the permission exists (accounts.roles)."""

from django.db import migrations

from accounts import roles


def forwards(apps, schema_editor):
    roles.sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0005_translatable_bank"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
