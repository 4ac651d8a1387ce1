"""Load the demo data: ministries, site settings and home page, the three demo
courses with their quizzes (from fixtures/courses/), one account per role, and about
200 generated officers with a training history."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Locale

from accounts.models import User
from courses.models import CoursePage
from demo.accounts import load_demo_accounts, load_demo_officers, load_ministries
from demo.certificates import load_demo_design
from demo.courses import (
    ContentError,
    load_demo_courses,
    load_demo_history,
    read_course_content,
    revoke_demo_certificates,
)
from demo.site import load_site
from demo.translations import load_arabic_content, read_arabic_content

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def read_fixture(name: str):
    path = FIXTURES / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CommandError(f"Missing demo fixture {path}.") from exc
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path} is not valid JSON: {exc}") from exc


class Command(BaseCommand):
    help = (
        "Load the demo ministries, site settings, home page, the three demo courses "
        "and their quizzes (fixtures/courses/), one account per role and about 200 "
        "officers with a training history (password tadreeb-demo). Idempotent: a "
        "second run updates changed content and adds nothing else. Refused by "
        "production settings."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-officers",
            action="store_true",
            help=(
                "Load content and the named demo accounts only: no generated "
                "officers and no training history."
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=2026,
            help="Seed of the generated officers and their history (default 2026).",
        )

    def handle(self, *args, **options):
        if not settings.TADREEB_DEMO_DATA_ALLOWED:
            raise CommandError(
                "Demo data, with its published password, is refused by these "
                "settings (production)."
            )
        try:
            content = read_course_content()
            arabic = read_arabic_content(content)
        except ContentError as exc:
            raise CommandError(str(exc)) from exc
        for warning in arabic.warnings:
            self.stderr.write(self.style.WARNING(warning))
        ministries = load_ministries(read_fixture("ministries.json"))
        home = load_site(read_fixture("site.json"))
        load_demo_courses(content, home)
        load_arabic_content(arabic, content, home)
        # Before any certificate is issued: the demo PDFs carry its signatories.
        load_demo_design()
        accounts = load_demo_accounts(read_fixture("demo_accounts.json"))
        for label, counts in (("ministries", ministries), ("accounts", accounts)):
            self.stdout.write(
                f"Demo {label}: {counts.created} created, {counts.updated} updated, "
                f"{counts.unchanged} unchanged."
            )
        self.stdout.write(f"Demo courses: {len(content.courses)} loaded.")
        if not options["no_officers"]:
            self._populate(content, options["seed"])
        call_command("update_index", verbosity=0)
        call_command("rebuild_references_index", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def _populate(self, content, seed: int) -> None:
        officers, created = load_demo_officers(seed)
        named = {
            u.email: u
            for u in User.objects.filter(
                email__in=[r["email"] for r in read_fixture("demo_accounts.json")]
            )
        }
        slugs = [c.slug for c in content.courses]
        by_slug = {
            c.slug: c
            for c in CoursePage.objects.filter(
                slug__in=slugs, locale=Locale.get_default()
            )
        }
        courses = [by_slug[slug] for slug in slugs]
        counts = load_demo_history(courses, created, named, seed=seed)
        # Revoking after the history is committed: the completion hooks that run
        # on commit would otherwise issue the revoked certificates again.
        with transaction.atomic():
            counts.revoked = revoke_demo_certificates(
                created, named.get("certificates@tadreeb.example")
            )
        self.stdout.write(
            f"Demo officers: {len(created)} created, "
            f"{len(officers) - len(created)} already there. New history: "
            f"{counts.enrolments} enrolments, {counts.completed} completed, "
            f"{counts.certificates} certificates ({counts.revoked} revoked), "
            f"{counts.failed_attempts} failed attempts."
        )
