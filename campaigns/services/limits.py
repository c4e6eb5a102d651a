"""Abuse limits: how often one address, and everyone together on one campaign, may record actions.

Counted in fixed windows, atomically, wherever the processes run: in Redis (INCR) when REDIS_URL is set,
else in the database (RateCounter, a conditional UPDATE), so several workers or threads share one count
and concurrent requests cannot overshoot. The forms and the API share the buckets.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import F

from ..models import RateCounter

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}  # as Django REST framework reads them: by the first letter


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


def rate_parse(text: str) -> Rate:
    """'30/hour' -> 30 per 3600 s; loud on a bad setting."""
    try:
        count, _, period = text.partition("/")
        period = period.strip().lower()
        if period not in ("s", "m", "h", "d", "sec", "second", "min", "minute", "hour", "day"):
            raise KeyError(period)
        rate = Rate(int(count), PERIODS[period[0]])
    except (ValueError, KeyError):
        raise ImproperlyConfigured(f"{text!r} is not a rate: write e.g. 30/hour (per second, minute, hour or day).") from None
    if rate.limit < 0:
        raise ImproperlyConfigured(f"{text!r}: a rate cannot be negative.")
    return rate


def _redis() -> Any:  # redis.Redis; the client is untyped here
    import redis

    client = getattr(_redis, "client", None)
    if client is None:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2)
        _redis.client = client  # type: ignore[attr-defined]
    return client


def _hit_redis(key: str, seconds: int) -> int:
    pipe = _redis().pipeline()
    pipe.incr(key)
    pipe.expire(key, seconds * 2)
    hits, _ = pipe.execute()
    return int(hits)


def _hit_database(bucket: str, window: int) -> int:
    with transaction.atomic():
        if not RateCounter.objects.filter(bucket=bucket, window=window).update(hits=F("hits") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(bucket=bucket, window=window, hits=1)
                    return 1
            except IntegrityError:  # a concurrent request made the row first
                RateCounter.objects.filter(bucket=bucket, window=window).update(hits=F("hits") + 1)
        return RateCounter.objects.filter(bucket=bucket, window=window).values_list("hits", flat=True).get()


def limit_hit(*, bucket: str, rate: Rate) -> bool:
    """Count one attempt in `bucket`; True when it is within the rate, False when it is over."""
    if rate.limit == 0:
        return False
    window = int(time.time()) // rate.seconds * rate.seconds
    bucket = f"{settings.RATE_LIMIT_PREFIX}{bucket}"
    redis_key = f"limit:{bucket}:{window}"
    hits = _hit_redis(redis_key, rate.seconds) if settings.REDIS_URL else _hit_database(bucket, window)
    return hits <= rate.limit


def action_limits_allow(*, address: str, campaign_key: str) -> bool:
    """One more action from this address on this campaign? Both buckets are counted, so a refused flood counts too."""
    by_address = limit_hit(bucket=f"actions:address:{address}", rate=rate_parse(settings.API_SUPPORTER_ACTIONS_RATE))
    by_campaign = limit_hit(bucket=f"actions:campaign:{campaign_key}", rate=rate_parse(settings.ACTIONS_RATE_PER_CAMPAIGN))
    return by_address and by_campaign


def rate_counters_prune(*, older_than_seconds: int = 2 * 86400) -> int:
    """Forget windows long past (the database fallback); run daily."""
    cutoff = int(time.time()) - older_than_seconds
    deleted, _ = RateCounter.objects.filter(window__lt=cutoff).delete()
    return deleted


def client_address(meta: Mapping[str, Any]) -> str:
    """The client's address: REMOTE_ADDR, or the one API_NUM_PROXIES trusted proxies put in X-Forwarded-For."""
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [a.strip() for a in forwarded.split(",") if a.strip()]
        if hops:
            return str(hops[-min(proxies, len(hops))])
    return str(meta.get("REMOTE_ADDR", "") or "unknown")
