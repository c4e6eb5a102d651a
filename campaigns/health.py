"""What /healthz checks (django-health-check): the database, the cache and broker, the outbox and beat.

Green means a supporter's action is recorded and its mail will go out: the database answers, Redis
answers, no due mail has waited longer than HEALTH_MAX_QUEUE_WAIT_SECONDS (the workers keep up) and
beat has run within HEALTH_BEAT_MAX_AGE_SECONDS (scheduled work happens). On the embedded default
(no REDIS_URL) there is no broker and no beat to check.
"""

from __future__ import annotations

import dataclasses
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

logger = logging.getLogger(__name__)

BEAT_LAST_RUN_KEY = "health:beat-last-run"


def beat_mark_run(*, at: float | None = None) -> None:
    """Beat's scheduler calls this as it runs; a cache that is down must not stop beat."""
    try:
        cache.set(BEAT_LAST_RUN_KEY, time.time() if at is None else at, timeout=None)
    except Exception:  # any cache backend's error: beat goes on, /healthz will say it is stale
        logger.warning("could not record beat's last run", exc_info=True)


def beat_last_run() -> float | None:
    return cache.get(BEAT_LAST_RUN_KEY)


@dataclasses.dataclass
class OutboxQueue(HealthCheck):
    """The oldest queued message that is due has not waited too long: the workers are draining the outbox."""

    max_wait_seconds: float = 900

    def run(self) -> None:
        from .selectors.delivery import delivery_oldest_due

        try:
            oldest = delivery_oldest_due()
        finally:
            connections.close_all()  # this runs in a worker thread: leave no connection behind
        if oldest is None:
            return
        waited = (timezone.now() - oldest).total_seconds()
        if waited > self.max_wait_seconds:
            raise ServiceUnavailable(f"the oldest due message has waited {waited:.0f} s (limit {self.max_wait_seconds:g} s)")


@dataclasses.dataclass
class BeatLastRun(HealthCheck):
    """Celery beat has run recently (its scheduler leaves a mark in the cache on every tick)."""

    max_age_seconds: float = 300

    def run(self) -> None:
        last = beat_last_run()
        if last is None:
            raise ServiceUnavailable("beat has not run since the cache was last emptied")
        age = time.time() - float(last)
        if age > self.max_age_seconds:
            raise ServiceUnavailable(f"beat last ran {age:.0f} s ago (limit {self.max_age_seconds:g} s)")


def health_checks() -> list[tuple[type[HealthCheck], dict]]:
    """The checks /healthz runs, as django-health-check takes them: (class, options)."""
    checks: list[tuple[type[HealthCheck], dict]] = [
        (Database, {}),
        (Cache, {}),
        (OutboxQueue, {"max_wait_seconds": settings.HEALTH_MAX_QUEUE_WAIT_SECONDS}),
    ]
    if settings.REDIS_URL:
        from health_check.contrib.redis import Redis
        from redis.asyncio import Redis as RedisClient

        url = settings.CELERY_BROKER_URL
        checks += [
            (Redis, {"client_factory": lambda: RedisClient.from_url(url, socket_connect_timeout=3, socket_timeout=3)}),
            (BeatLastRun, {"max_age_seconds": settings.HEALTH_BEAT_MAX_AGE_SECONDS}),
        ]
    return checks


class HealthView(HealthCheckView):
    """200 when every check passes, 500 naming what failed; `?format=json` or `Accept: application/json`."""

    def get_checks(self):
        self.checks = health_checks()
        return super().get_checks()

    async def dispatch(self, request, *args, **kwargs):
        response = await super().dispatch(request, *args, **kwargs)
        # A red probe every 30 s must not mail ADMINS an "Internal Server Error" each time: the
        # health_check logger has already said which check failed and why.
        response._has_been_logged = True
        return response
