"""``manage.py notify_watchers [FEED]``: e-mail customers about their watched products."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from relations.notifications import notify_watchers, read_feed

STDIN = "-"


class Command(BaseCommand):
    help = (
        "Read a product feed (JSON Lines: productId, currency, price, inStock) from FEED or "
        "standard input and e-mail each customer once about watched products that came back "
        "in stock or fell to their price. Expired watches are deleted."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("feed", nargs="?", default=STDIN, help="file path, or - for stdin")

    def handle(self, *args, feed: str, **options) -> None:
        if feed == STDIN:
            sys.stdin.reconfigure(encoding="utf-8", errors="replace")
            parsed = read_feed(sys.stdin)
        else:
            try:
                with open(feed, encoding="utf-8", errors="replace") as lines:
                    parsed = read_feed(lines)
            except OSError as exc:
                raise CommandError(f"Cannot read {feed}: {exc.strerror}") from exc
        for error in parsed.errors:
            self.stderr.write(f"Skipped {error}")
        result = notify_watchers(feed=parsed)
        self.stdout.write(
            f"{result.emails_sent} e-mails sent, {result.emails_failed} failed, "
            f"{result.expired_deleted} expired watches deleted, "
            f"{len(parsed.errors)} feed lines skipped."
        )
