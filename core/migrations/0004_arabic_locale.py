"""The Arabic locale beside the English one Wagtail made when it was installed."""

from django.db import migrations


def add_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in ("en", "ar"):
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0003_rate_limit_cache_table"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(add_locales, migrations.RunPython.noop)]
