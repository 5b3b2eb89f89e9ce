"""``manage.py notify_watchers [FEED]``: e-mail customers about their watched products."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from events.dispatch import uses_broker
from relations.models import WatchFeed
from relations.notifications import notify_watchers, read_feed
from relations.tasks import notify_watchers_chunk

STDIN = "-"
POLL_SECONDS = 0.5


def run_on_workers(feed: WatchFeed, bounds: list[tuple[int, int]]) -> None:
    """Send each chunk to the Celery workers and wait until all are done."""
    for low, high in bounds:
        notify_watchers_chunk.delay(feed.pk, low, high)
    while WatchFeed.objects.filter(pk=feed.pk, chunks_done__lt=feed.chunks).exists():
        time.sleep(POLL_SECONDS)


class Command(BaseCommand):
    help = (
        "Read a product feed (JSON Lines: productId, currency, price, inStock) from FEED or "
        "standard input and e-mail each customer once about watched products that came back "
        "in stock or fell to their price. Expired watches are deleted. With a Celery broker "
        "the customers are split into chunks that the workers announce in parallel."
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
        result = notify_watchers(feed=parsed, run_chunks=run_on_workers if uses_broker() else None)
        self.stdout.write(
            f"{result.emails_queued} e-mails queued, "
            f"{result.expired_deleted} expired watches deleted, "
            f"{len(parsed.errors)} feed lines skipped, {result.chunks} chunks."
        )
