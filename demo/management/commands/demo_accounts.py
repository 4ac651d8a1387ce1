"""Print the demo accounts and what each one shows."""

from django.core.management.base import BaseCommand
from django.db.models import Count

from accounts.models import User
from accounts.validators import DEMO_PASSWORD
from demo.accounts import officer_rows
from demo.management.commands.load_demo import read_fixture


class Command(BaseCommand):
    help = "List the demo accounts loaded by load_demo, with the shared password."

    def handle(self, *args, **options):
        rows = read_fixture("demo_accounts.json")
        existing = set(
            User.objects.filter(email__in=[r["email"] for r in rows]).values_list(
                "email", flat=True
            )
        )
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for row in rows:
            mark = "" if row["email"] in existing else "  [not loaded]"
            self.stdout.write(f"  {row['email']:<30} {row['shows']}{mark}")
        generated = [r["email"] for r in officer_rows()]
        per_ministry = (
            User.objects.filter(email__in=generated)
            .values_list("ministry__code")
            .annotate(n=Count("pk"))
            .order_by("-n")
        )
        if per_ministry:
            spread = ", ".join(f"{code} {n}" for code, n in per_ministry)
            self.stdout.write(
                f"  and {sum(n for _, n in per_ministry)} generated officers with "
                f"the same password ({spread}), e.g. {generated[0]}"
            )
