"""Existing questions and choices become the source-locale (English) rows, each
with a translation key of its own (Wagtail's bootstrap pattern)."""

from django.db import migrations
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0003_translatable_bank_fields"),
        ("lms", "0004_arabic_locale"),
    ]

    operations = [
        BootstrapTranslatableModel("quizzes.Question"),
        BootstrapTranslatableModel("quizzes.Choice"),
    ]
