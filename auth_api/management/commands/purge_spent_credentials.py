"""``manage.py purge_spent_credentials``: run it from cron, e.g. hourly."""

from django.core.management.base import BaseCommand

from auth_api.services import purge_spent_credentials


class Command(BaseCommand):
    help = (
        "Delete used or expired restore password keys, expired or revoked tokens and spent "
        "authorization codes with no live token."
    )

    def handle(self, *args, **options) -> None:
        deleted = purge_spent_credentials()
        self.stdout.write(f"Deleted {deleted} spent restore password keys; cleared expired tokens.")
