"""The table of Django's database cache, which production uses for the cache and the
rate-limit counters when no REDIS_URL is set (lms/settings/production.py): made by
``migrate`` on every deployment, so that no one has to remember createcachetable."""

from django.core.management import call_command
from django.db import migrations

# The same name as CACHES["default"]["LOCATION"] in lms/settings/production.py.
CACHE_TABLE = "tadreeb_cache"


def create_cache_table(apps, schema_editor):
    # Django's own command, so that the table is exactly what DatabaseCache expects;
    # it leaves an existing table alone.
    call_command(
        "createcachetable",
        CACHE_TABLE,
        database=schema_editor.connection.alias,
        verbosity=0,
    )


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(
        f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0002_alter_homepage_body"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table, elidable=False),
    ]
