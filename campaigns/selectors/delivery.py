"""Reads about outbound mail: how deep the queue is, what failed, what the broker holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from ..models import Delivery

# kombu's Redis transport keeps a queue as one list per priority step (`celery`, `celery\x06\x163`,
# ...) and the messages workers have reserved but not acknowledged in the `unacked` hash.
_PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")


@dataclass
class BrokerStatus:
    waiting: int | None = None
    reserved: int | None = None
    error: str = ""


@dataclass
class DeliveryStatus:
    counts: dict[str, int] = field(default_factory=dict)
    oldest_due: dt.datetime | None = None
    scheduled: int = 0
    failed_last_day: int = 0
    broker: BrokerStatus | None = None

    @property
    def overdue_for(self) -> dt.timedelta | None:
        """How long the oldest queued message that is due has been waiting."""
        return timezone.now() - self.oldest_due if self.oldest_due else None


def delivery_status(*, deliveries: QuerySet[Delivery] | None = None, with_broker: bool = True) -> DeliveryStatus:
    """Counts by state, the oldest message waiting, recent failures and (with Redis) the broker's queue."""
    deliveries = Delivery.objects.all() if deliveries is None else deliveries
    now = timezone.now()
    queued_due = Q(state=Delivery.State.QUEUED, not_before__lte=now)
    figures = deliveries.aggregate(
        **{state: Count("id", filter=Q(state=state)) for state in Delivery.State.values},
        oldest_due=Min("not_before", filter=queued_due),
        scheduled=Count("id", filter=Q(state=Delivery.State.QUEUED, not_before__gt=now)),
        failed_last_day=Count("id", filter=Q(state=Delivery.State.FAILED, claimed_at__gte=now - dt.timedelta(days=1))),
    )
    return DeliveryStatus(
        counts={state: figures[state] for state in Delivery.State.values},
        oldest_due=figures["oldest_due"],
        scheduled=figures["scheduled"],
        failed_last_day=figures["failed_last_day"],
        broker=broker_status() if with_broker and settings.REDIS_URL else None,
    )


def broker_status(*, queue: str = "celery") -> BrokerStatus:
    """Messages waiting in the Redis queue, and reserved by workers (unacknowledged, incl. countdowns)."""
    import redis

    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2)
        waiting = sum(client.llen(queue + suffix) for suffix in _PRIORITY_SUFFIXES)
        reserved = client.hlen("unacked")
    except redis.RedisError as exc:
        return BrokerStatus(error=f"{type(exc).__name__}: {exc}")
    return BrokerStatus(waiting=waiting, reserved=reserved)


def deliveries_failed(*, deliveries: QuerySet[Delivery] | None = None, limit: int = 10) -> QuerySet[Delivery]:
    deliveries = Delivery.objects.all() if deliveries is None else deliveries
    return deliveries.filter(state=Delivery.State.FAILED).order_by("-created", "-id")[:limit]


def delivery_oldest_due(*, deliveries: QuerySet[Delivery] | None = None) -> dt.datetime | None:
    """When the oldest queued message that is due became due (None: nothing is waiting); one indexed query."""
    deliveries = Delivery.objects.all() if deliveries is None else deliveries
    queued_due = deliveries.filter(state=Delivery.State.QUEUED, not_before__lte=timezone.now())
    oldest: dt.datetime | None = queued_due.aggregate(oldest=Min("not_before"))["oldest"]
    return oldest
