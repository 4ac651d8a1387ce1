from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Locale, ReferenceIndex

        from .models import CourseIndexPage, Enrolment, LessonCompletion
        from .services import forget_locale_ids
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
        # Pages are placed in their language by ``locale_id`` against cached ids.
        for signal in (post_save, post_delete):
            signal.connect(
                forget_locale_ids, sender=Locale, dispatch_uid="courses.locale_ids"
            )
        # Training records appear in the "Usage" of the pages and accounts they point
        # at, and their PROTECT keys make Wagtail's delete screens say "prevents
        # deletion". (Quiz attempts and answers: quizzes/apps.py.)
        for model in (Enrolment, LessonCompletion):
            ReferenceIndex.register_model(model)
