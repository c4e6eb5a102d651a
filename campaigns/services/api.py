"""Writes the API needs for itself: remembered answers to idempotent POSTs, and organisers' tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ..models import IdempotencyKey


class IdempotencyKeyMismatch(Exception):
    """The key was used before with a different request."""


@transaction.atomic
def idempotent_call(*, scope: str, key: str, fingerprint: str, perform: Callable[[], tuple[int, Any]]) -> tuple[int, Any, bool]:
    """Run `perform` once per (scope, key): returns (status, body, replayed).

    The key is claimed before `perform` runs, in the same transaction: a concurrent request with the
    same key waits on the unique constraint until this one commits, then replays its answer. If
    `perform` raises, nothing is remembered, so the client may retry with the same key.
    """
    ttl = dt.timedelta(seconds=settings.API_IDEMPOTENCY_KEY_TTL)
    IdempotencyKey.objects.filter(scope=scope, key=key, created__lt=timezone.now() - ttl).delete()
    try:
        with transaction.atomic():
            claim = IdempotencyKey.objects.create(scope=scope, key=key, fingerprint=fingerprint)
    except IntegrityError:
        earlier = IdempotencyKey.objects.get(scope=scope, key=key)
        if earlier.fingerprint != fingerprint:
            raise IdempotencyKeyMismatch(key) from None
        return earlier.status_code or 200, earlier.response, True
    status_code, body = perform()
    claim.status_code, claim.response = status_code, body
    claim.save(update_fields=["status_code", "response"])
    return status_code, body, False


def idempotency_keys_prune(*, before: dt.datetime | None = None) -> int:
    """Forget keys older than the TTL (or `before`); returns how many were deleted."""
    before = before or timezone.now() - dt.timedelta(seconds=settings.API_IDEMPOTENCY_KEY_TTL)
    deleted, _ = IdempotencyKey.objects.filter(created__lt=before).delete()
    return deleted


@transaction.atomic
def api_token_create(*, user, reset: bool = False) -> Token:
    """The user's API token, created if missing; `reset` replaces it (the old key stops working)."""
    if reset:
        Token.objects.filter(user=user).delete()
    token, _ = Token.objects.get_or_create(user=user)
    return token
