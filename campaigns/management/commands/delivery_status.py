"""Print the outbox's state: counts by state, the oldest message waiting, the broker's queue, recent failures."""

from django.core.management.base import BaseCommand
from django.utils.timesince import timesince

from ...selectors.delivery import deliveries_failed, delivery_status


class Command(BaseCommand):
    help = "Show outbound mail by state, how long the oldest due message has waited, Redis queue depth and recent failures."

    def add_arguments(self, parser):
        parser.add_argument("--failures", type=int, default=5, metavar="N", help="List the N latest failures (default 5).")

    def handle(self, *args, failures, **options):
        status = delivery_status()
        for state, count in status.counts.items():
            self.stdout.write(f"{state:<8} {count:>7}")
        if status.scheduled:
            self.stdout.write(f"{status.scheduled} of the queued wait for their time (throttling or retry backoff)")
        if status.oldest_due:
            self.stdout.write(f"oldest due message waiting for {timesince(status.oldest_due)}")
        else:
            self.stdout.write("no due message is waiting")
        if status.broker is None:
            self.stdout.write("broker: none (REDIS_URL unset: tasks run in-process)")
        elif status.broker.error:
            self.stdout.write(f"broker: Redis unreachable: {status.broker.error}")
        else:
            broker = status.broker
            self.stdout.write(f"broker: {broker.waiting} tasks waiting in Redis, {broker.reserved} reserved by workers")
        self.stdout.write(f"failed in the last 24 hours: {status.failed_last_day}")
        for delivery in deliveries_failed(limit=failures) if failures > 0 else ():
            when = f"{delivery.created:%Y-%m-%d %H:%M}"
            self.stdout.write(f"  #{delivery.pk} {when} to {delivery.recipient}: {delivery.last_error}")
