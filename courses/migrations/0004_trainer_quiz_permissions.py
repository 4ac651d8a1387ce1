"""Trainers: the question bank, quiz statistics and essay marking."""

from django.db import migrations

from accounts import roles


def forwards(apps, schema_editor):
    roles.sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_quizzes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
