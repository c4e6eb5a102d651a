"""Writes the API needs for itself: remembered answers to idempotent POSTs, and organisers' tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ..models import IdempotencyKey


class IdempotencyKeyMismatch(Exception):
    """The key was used before with a different request."""


def _key_claim(*, scope: str, key: str, fingerprint: str, now: dt.datetime) -> int | None:
    """Insert the key unless it exists: its id, or None when another request holds it.

    One statement, no savepoint: a twin inserting the same key makes this wait until it commits
    (then None) or rolls back (then this one inserts).
    """
    quote = connection.ops.quote_name
    table = quote(IdempotencyKey._meta.db_table)
    columns = ", ".join(quote(c) for c in ("scope", "key", "fingerprint", "created"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s) "  # noqa: S608 - names are ours, values are parameters
            f"ON CONFLICT ({quote('scope')}, {quote('key')}) DO NOTHING RETURNING {quote('id')}",
            [scope, key, fingerprint, now],
        )
        row = cursor.fetchone()
    return row[0] if row else None


@transaction.atomic
def idempotent_call(*, scope: str, key: str, fingerprint: str, perform: Callable[[], tuple[int, Any]]) -> tuple[int, Any, bool]:
    """Run `perform` once per (scope, key): returns (status, body, replayed).

    The key is claimed before `perform` runs, in the same transaction: a concurrent request with the
    same key waits on the unique constraint until this one commits, then replays its answer. If
    `perform` raises, nothing is remembered, so the client may retry with the same key. A key older
    than the TTL is taken over as new; the scheduled prune (`idempotency_keys_prune`) deletes the rest,
    so the request itself never sweeps.
    """
    now = timezone.now()
    claim = _key_claim(scope=scope, key=key, fingerprint=fingerprint, now=now)
    while claim is None:
        earlier = IdempotencyKey.objects.filter(scope=scope, key=key).first()
        if earlier is None:  # pruned since the claim was refused
            claim = _key_claim(scope=scope, key=key, fingerprint=fingerprint, now=now)
            continue
        if earlier.created >= now - dt.timedelta(seconds=settings.API_IDEMPOTENCY_KEY_TTL):
            if earlier.fingerprint != fingerprint:
                raise IdempotencyKeyMismatch(key)
            return earlier.status_code or 200, earlier.response, True
        # Expired: take it over. Conditional, so of two requests taking it over one wins and the other replays.
        if IdempotencyKey.objects.filter(pk=earlier.pk, created=earlier.created).update(
            fingerprint=fingerprint, created=now, status_code=None, response=None
        ):
            claim = earlier.pk
    status_code, body = perform()
    IdempotencyKey.objects.filter(pk=claim).update(status_code=status_code, response=body)
    return status_code, body, False


def idempotency_keys_prune(*, before: dt.datetime | None = None) -> int:
    """Forget keys older than the TTL (or `before`); returns how many were deleted."""
    before = before or timezone.now() - dt.timedelta(seconds=settings.API_IDEMPOTENCY_KEY_TTL)
    deleted, _ = IdempotencyKey.objects.filter(created__lt=before).delete()
    return deleted


@transaction.atomic
def api_token_create(*, user: User, reset: bool = False) -> Token:
    """The user's API token, created if missing; `reset` replaces it (the old key stops working)."""
    if reset:
        Token.objects.filter(user=user).delete()
    token, _ = Token.objects.get_or_create(user=user)
    return token
