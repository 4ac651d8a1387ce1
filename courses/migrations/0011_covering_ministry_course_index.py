"""PostgreSQL: the partial (ministry, course) index of latest cycles also carries the
columns the completion table counts (INCLUDE), so one ministry's table is an
index-only scan. Other databases keep the plain index (SQLite has no INCLUDE)."""

from django.db import migrations

INDEX = "courses_enrol_ministry_course"
TABLE = "courses_enrolment"
INCLUDE = (
    "id",
    "user_id",
    "cycle",
    "started_at",
    "completed_at",
    "quiz_passed_at",
    "certificate_issued_at",
    "certificate_expires_at",
    "due_date",
)


def _rebuild(schema_editor, include: tuple[str, ...]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    q = schema_editor.quote_name
    columns = f" INCLUDE ({', '.join(q(c) for c in include)})" if include else ""
    schema_editor.execute(f"DROP INDEX IF EXISTS {q(INDEX)}")
    schema_editor.execute(
        f"CREATE INDEX {q(INDEX)} ON {q(TABLE)} ({q('ministry_id')}, {q('course_id')})"
        f"{columns} WHERE {q('is_latest_cycle')}"
    )


def covering(apps, schema_editor):
    _rebuild(schema_editor, INCLUDE)


def plain(apps, schema_editor):
    _rebuild(schema_editor, ())


class Migration(migrations.Migration):
    dependencies = [("courses", "0010_backfill_reporting_facts")]

    operations = [migrations.RunPython(covering, plain, elidable=False)]
