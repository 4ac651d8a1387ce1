"""The course section of the page tree: who may edit it and how it is published.

Trainers edit the course catalogue page and everything below it, and nothing else of
the site. Publishing goes through the "Content review" workflow, in which a second
trainer approves.
"""

from accounts import roles

WORKFLOW_NAME = "Content review"
TASK_NAME = "Review by a second trainer"
TRAINER_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page", "unlock_page"]


def set_up_course_section(index_page, apps=None) -> None:
    """Give Trainers their page permissions on ``index_page`` and put it under the
    content review workflow. Idempotent; ``apps`` is a migration's app registry."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group_page_permission = apps.get_model("wagtailcore", "GroupPagePermission")
    workflow_page = apps.get_model("wagtailcore", "WorkflowPage")

    trainers = group_model.objects.get(name=roles.TRAINERS)
    for codename in TRAINER_PAGE_PERMISSIONS:
        group_page_permission.objects.get_or_create(
            group=trainers,
            page_id=index_page.pk,
            permission=permission_model.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    workflow = ensure_review_workflow(apps)
    workflow_page.objects.update_or_create(
        page_id=index_page.pk, defaults={"workflow": workflow}
    )


def ensure_review_workflow(apps):
    workflow_model = apps.get_model("wagtailcore", "Workflow")
    workflow_task_model = apps.get_model("wagtailcore", "WorkflowTask")
    task_model = apps.get_model("courses", "SecondReviewerApprovalTask")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    group_model = apps.get_model("auth", "Group")

    workflow, _ = workflow_model.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    task = task_model.objects.filter(name=TASK_NAME).first()
    if task is None:
        content_type, _ = content_type_model.objects.get_or_create(
            app_label="courses", model="secondreviewerapprovaltask"
        )
        task = task_model.objects.create(
            name=TASK_NAME, active=True, content_type=content_type
        )
        task.groups.add(group_model.objects.get(name=roles.TRAINERS))
    workflow_task_model.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    return workflow


def publish_approved_content(workflow_state, user=None) -> None:
    """Publish what the workflow approved (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

    The approval itself is the permission: a second trainer approved through the
    review task, so trainers need no publish permission of their own, and publishing
    goes through review only.
    """
    workflow_state.content_object.get_latest_revision().publish(
        user=user, skip_permission_checks=True
    )
