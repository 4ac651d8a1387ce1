"""Trainers: topic permissions, the "Content review" workflow, and page permissions
on any course catalogue page that already exists."""

from django.db import migrations

from accounts import roles
from courses import workflow


def forwards(apps, schema_editor):
    roles.sync_role_groups(apps)
    workflow.ensure_review_workflow(apps)
    for index_page in apps.get_model("courses", "CourseIndexPage").objects.all():
        workflow.set_up_course_section(index_page, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("accounts", "0002_staff_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
