"""Make a ministry (or national) API token and print it, once."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts import services
from accounts.models import Ministry

# A token is a standing credential: it must be renewed at least every five years.
MAX_DAYS = 5 * 365


class Command(BaseCommand):
    help = (
        "Make an API token for a ministry's system (or a national one) and print it "
        "once. Only its hash is stored: copy it now."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument(
            "--ministry", help="The ministry's code (e.g. MOI); it sees only that."
        )
        which.add_argument(
            "--national",
            action="store_true",
            help="A national committee token, which sees every ministry.",
        )
        parser.add_argument(
            "--name", required=True, help="What will use it, e.g. 'HR system'."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=365,
            help="Days until it expires (default 365).",
        )

    def handle(self, *args, ministry=None, national=False, name="", days=365, **opts):
        if not name.strip():
            raise CommandError("Give the token a --name, e.g. 'HR system'.")
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_DAYS} (five years).")
        found = None
        if not national:
            found = Ministry.objects.filter(code__iexact=ministry.strip()).first()
            if found is None:
                codes = ", ".join(Ministry.objects.values_list("code", flat=True))
                raise CommandError(
                    f"Unknown ministry {ministry!r}. Known codes: {codes or 'none'}."
                )
        issued = services.create_api_token(
            name=name,
            ministry=found,
            created_by=None,
            expires_at=timezone.now() + timedelta(days=days),
        )
        token = issued.token
        whose = found.code if found else "national"
        self.stderr.write(
            f"API token '{token.name}' ({whose}), prefix {token.prefix}, expires "
            f"{timezone.localdate(token.expires_at).isoformat()}. Shown only now:"
        )
        self.stdout.write(issued.plaintext)
