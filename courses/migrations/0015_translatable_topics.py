"""Topics become translatable (Wagtail's bootstrap pattern in one migration): the
locale and translation key are added as nullable, existing topics become the
English (source) rows with keys of their own, then both are required. Slugs and
names are unique per locale (the Arabic topic keeps the English slug).

Not atomic: on PostgreSQL the rows updated by the bootstrap leave deferred
foreign-key checks pending, and ALTER TABLE refuses to run with pending trigger
events in the same transaction.
"""

import uuid

import courses.models
import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("lms", "0004_arabic_locale"),
        ("courses", "0014_quiz_engine_moved_to_quizzes"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
            ),
        ),
        migrations.AddField(
            model_name="topic",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="coursepage",
            name="topics",
            field=modelcluster.fields.ParentalManyToManyField(
                blank=True,
                limit_choices_to=courses.models.source_locale_only,
                related_name="courses",
                to="courses.topic",
                verbose_name="topics",
            ),
        ),
        migrations.AlterField(
            model_name="topic",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="topic",
            name="slug",
            field=models.SlugField(max_length=100, verbose_name="slug"),
        ),
        migrations.AddConstraint(
            model_name="topic",
            constraint=models.UniqueConstraint(
                fields=("slug", "locale"), name="courses_topic_slug_locale"
            ),
        ),
        migrations.AddConstraint(
            model_name="topic",
            constraint=models.UniqueConstraint(
                fields=("name", "locale"), name="courses_topic_name_locale"
            ),
        ),
        BootstrapTranslatableModel("courses.Topic"),
        migrations.AlterField(
            model_name="topic",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="topic",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(
            name="topic",
            unique_together={("translation_key", "locale")},
        ),
    ]
