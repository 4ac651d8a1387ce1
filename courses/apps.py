from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from django.db.models.signals import post_save

        from accounts.models import User

        from .models import CourseIndexPage
        from .services import officer_changed
        from .workflow import set_up_course_section

        def course_section_created(sender, instance, created, raw=False, **kwargs):
            if created and not raw:
                set_up_course_section(instance)

        post_save.connect(
            course_section_created,
            sender=CourseIndexPage,
            dispatch_uid="courses.course_section_created",
            weak=False,
        )
        post_save.connect(
            officer_changed,
            sender=User,
            dispatch_uid="courses.officer_changed",
        )
