"""The staff roles of the portal, as Django groups, and what each may do.

The groups are created by a data migration. A feature that needs a new permission adds
it to the tables below and ships a data migration that calls ``sync_role_groups``
again (it only adds, so it is safe to run any number of times). Code refers to the
roles through these constants, never by spelling a group name again.
"""

from django.contrib.auth.management import create_permissions
from django.utils.translation import gettext_lazy as _

TRAINERS = "Trainers"
FOCAL_POINTS = "Ministry focal points"
NATIONAL_COMMITTEE = "National committee"
CERTIFICATE_OFFICERS = "Certificate officers"

STAFF_GROUPS: tuple[str, ...] = (
    TRAINERS,
    FOCAL_POINTS,
    NATIONAL_COMMITTEE,
    CERTIFICATE_OFFICERS,
)

DESCRIPTIONS = {
    TRAINERS: _("Author courses, lessons, question banks and certificate wording."),
    FOCAL_POINTS: _(
        "See and export their own ministry's officers and completion, assign courses "
        "and hold their ministry's API tokens."
    ),
    NATIONAL_COMMITTEE: _("See every ministry's officers and statistics."),
    CERTIFICATE_OFFICERS: _("Revoke and re-issue certificates, with a reason."),
}

# (app_label, codename) of the model permissions each group holds from the start.
MODEL_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    TRAINERS: [
        ("wagtailadmin", "access_admin"),
        ("certificates", "add_certificatetemplate"),
        ("certificates", "change_certificatetemplate"),
        ("certificates", "view_certificatetemplate"),
        ("courses", "add_topic"),
        ("courses", "change_topic"),
        ("quizzes", "add_question"),
        ("quizzes", "change_question"),
        ("quizzes", "view_question"),
        ("quizzes", "view_quizattempt"),
        ("quizzes", "mark_quizattempt"),
        ("reporting", "view_training_reports"),
        # Translating pages and snippets (questions, topics) with wagtail-localize,
        # PO export and import included.
        ("wagtail_localize", "submit_translation"),
    ],
    FOCAL_POINTS: [
        ("wagtailadmin", "access_admin"),
        ("accounts", "view_officer"),
        ("reporting", "view_training_reports"),
        ("reporting", "add_assignment"),
        ("reporting", "view_assignment"),
        ("accounts", "add_apitoken"),
        ("accounts", "view_apitoken"),
        ("accounts", "change_apitoken"),
        ("accounts", "view_namecorrectionrequest"),
        ("accounts", "decide_namecorrectionrequest"),
    ],
    NATIONAL_COMMITTEE: [
        ("wagtailadmin", "access_admin"),
        ("accounts", "view_officer"),
        ("accounts", "view_ministry"),
        ("reporting", "view_training_reports"),
        ("reporting", "view_assignment"),
        ("accounts", "add_apitoken"),
        ("accounts", "view_apitoken"),
        ("accounts", "change_apitoken"),
    ],
    CERTIFICATE_OFFICERS: [
        ("wagtailadmin", "access_admin"),
        ("certificates", "view_certificate"),
        ("certificates", "revoke_certificate"),
        ("accounts", "view_namecorrectionrequest"),
        ("accounts", "decide_namecorrectionrequest"),
    ],
}

# Apps whose models came from another app: their permissions carry the old label in
# the data migrations that ran before the move (the quiz engine left courses in
# quizzes 0002, which renamed the content types in place and syncs the groups again).
FORMER_APP_LABELS: dict[str, str] = {"quizzes": "courses"}

# Collection-level permissions (images and documents) on the root collection.
COLLECTION_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    TRAINERS: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
    ],
    CERTIFICATE_OFFICERS: [
        ("wagtailimages", "choose_image"),
    ],
}


def _ensure_permissions(apps) -> None:
    # Django creates permissions after all migrations have run; create them now so
    # that groups can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def sync_role_groups(apps) -> None:
    """Create the staff groups and give them the permissions listed above.

    ``apps`` is the app registry of a data migration (or ``django.apps.apps``).
    """
    _ensure_permissions(apps)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    collection_model = apps.get_model("wagtailcore", "Collection")
    collection_permission_model = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    root_collection = collection_model.objects.filter(depth=1).first()

    def permission(app_label: str, codename: str):
        # None while the app that defines it has not been migrated yet: its own
        # migration calls sync_role_groups again and grants it then. Before a model
        # moved app, its permission is found under the former label.
        for label in (app_label, FORMER_APP_LABELS.get(app_label)):
            found = permission_model.objects.filter(
                content_type__app_label=label, codename=codename
            ).first()
            if found is not None:
                return found
        return None

    for name in STAFF_GROUPS:
        group, _created = group_model.objects.get_or_create(name=name)
        for app_label, codename in MODEL_PERMISSIONS.get(name, []):
            if (found := permission(app_label, codename)) is not None:
                group.permissions.add(found)
        if root_collection is None:
            continue
        for app_label, codename in COLLECTION_PERMISSIONS.get(name, []):
            if (found := permission(app_label, codename)) is not None:
                collection_permission_model.objects.get_or_create(
                    group=group, collection=root_collection, permission=found
                )
