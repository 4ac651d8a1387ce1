"""Load the demo data: ministries, site settings, home page, one account per role."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import load_demo_accounts, load_ministries
from courses.demo import load_demo_course
from lms.demo import load_site

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
        "Load the demo ministries, site settings, home page, a small course and "
        "one account per role (password tadreeb-demo). Idempotent: a second run "
        "changes nothing. Refused by production settings."
    )

    def handle(self, *args, **options):
        if not settings.TADREEB_DEMO_DATA_ALLOWED:
            raise CommandError(
                "Demo data, with its published password, is refused by these "
                "settings (production)."
            )
        ministries = load_ministries(read_fixture("ministries.json"))
        home = load_site(read_fixture("site.json"))
        load_demo_course(read_fixture("demo_course.json"), home)
        accounts = load_demo_accounts(read_fixture("demo_accounts.json"))
        call_command("update_index", verbosity=0)
        call_command("rebuild_references_index", verbosity=0)
        for label, counts in (("ministries", ministries), ("accounts", accounts)):
            self.stdout.write(
                f"Demo {label}: {counts.created} created, {counts.updated} updated, "
                f"{counts.unchanged} unchanged."
            )
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
