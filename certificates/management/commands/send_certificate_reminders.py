"""E-mail officers whose certificates expire in 60 or 14 days. Idempotent: run it
from cron as often as you like; each reminder goes once."""

from django.core.management.base import BaseCommand

from certificates import services


class Command(BaseCommand):
    help = "Send certificate expiry reminders (60 and 14 days before), once each."

    def handle(self, *args, **options):
        sent = services.send_expiry_reminders()
        self.stdout.write(self.style.SUCCESS(f"{sent} reminders sent."))
