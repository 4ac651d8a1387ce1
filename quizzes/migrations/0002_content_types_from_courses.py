"""The quiz engine's content types follow it from courses to quizzes, renamed in
place: the rows keep their ids, so quiz pages, their revisions, workflow states, the
audit log, the reference index and the permissions (with their codenames) keep
pointing at them. A fresh database has them from the earlier courses migrations
(which created the permissions); a database with none has nothing to rename.
Reversible.

The staff groups are synced again afterwards: their quiz permissions are now named
``quizzes.*`` (accounts.roles).
"""

from django.conf import settings
from django.db import migrations

from accounts import roles

MODELS = (
    "question",
    "choice",
    "quizpage",
    "quizquestion",
    "quizattempt",
    "attemptquestion",
    "attemptchoice",
)


def _drop_empty(apps, content_types, using) -> None:
    """Delete content type rows nothing but their own permissions points at, without
    signals (the real receivers do not take historical instances)."""
    permission_model = apps.get_model("auth", "Permission")
    # By id: the historical Permission and ContentType classes may come from
    # different renders of the migration state.
    permissions = permission_model.objects.using(using).filter(
        content_type_id__in=list(content_types.values_list("pk", flat=True))
    )
    permission_ids = list(permissions.values_list("pk", flat=True))
    group_permissions = apps.get_model("auth", "Group").permissions.through
    user_permissions = apps.get_model(*settings.AUTH_USER_MODEL.split(".")).user_permissions.through
    for through in (group_permissions, user_permissions):
        through.objects.using(using).filter(
            permission_id__in=permission_ids
        )._raw_delete(using)
    permissions._raw_delete(using)
    content_types._raw_delete(using)


def _move(apps, schema_editor, from_label: str, to_label: str) -> None:
    using = schema_editor.connection.alias
    content_type_model = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        old = content_type_model.objects.using(using).filter(
            app_label=from_label, model=model
        )
        if not old.exists():
            continue
        # A row under the new label exists only where Django made an empty one
        # since (post_migrate after migrating back, or permissions created in
        # between): the old row is the one pages, revisions and logs point at, so
        # the empty one (and its permissions) goes and the old one takes the label.
        _drop_empty(
            apps,
            content_type_model.objects.using(using).filter(
                app_label=to_label, model=model
            ),
            using,
        )
        old.update(app_label=to_label)
    # The real ContentType manager caches rows by label: forget the old ones.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _move(apps, schema_editor, "courses", "quizzes")
    roles.sync_role_groups(apps)


def backwards(apps, schema_editor):
    _move(apps, schema_editor, "quizzes", "courses")


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0001_initial"),
        ("courses", "0014_quiz_engine_moved_to_quizzes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
