"""Certificate officers and trainers get their permissions; a default design."""

from django.db import migrations

from accounts import roles


def forwards(apps, schema_editor):
    roles.sync_role_groups(apps)
    template_model = apps.get_model("certificates", "CertificateTemplate")
    if not template_model.objects.filter(is_default=True).exists():
        template_model.objects.create(
            name="Standard",
            title_en="Certificate of completion",
            title_ar="شهادة إتمام",
            statement_en="has successfully completed the training course",
            statement_ar="قد أتمّ بنجاح الدورة التدريبية",
            is_default=True,
        )


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial"), ("accounts", "0002_staff_groups")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
