"""Outbound email and fax: every message is a Delivery row (the outbox), sent by the worker after commit.

A fax is an e-mail to the e-mail-to-fax gateway (`services/fax.py`) with the letter as a PDF: it is
claimed, throttled (per fax number), retried and swept exactly like an e-mail.

How a message travels:
1. `delivery_queue` writes the row in the caller's transaction, gives it a slot (`not_before`,
   from the recipient's DeliverySlot row) that keeps its recipient under the throttle, and
   publishes `send_delivery` only when that transaction commits.
2. `delivery_send` claims the row with a conditional UPDATE (queued -> sending), talks SMTP
   outside any transaction (on the connection the worker process keeps open to that server),
   then marks it sent. A transient error (SMTP 4xx, a refused or lost
   connection, a timeout) puts it back in the queue with exponential backoff and jitter; a
   permanent one (SMTP 5xx), or the last allowed attempt, ends it `failed` with the reason.
3. `delivery_sweep` (celery beat, every minute) re-publishes rows still queued well after they
   were due, and rows left `sending` past their lease by a worker that died: a crash between
   commit and publish, a Redis restart that lost its messages or a SIGKILLed worker loses nothing.

Exactly once? A redelivered or re-published task finds the row no longer claimable and does
nothing. One window is left: a worker killed after the SMTP server accepted the message (its 250
after DATA) and before the row is marked sent (it is marked at once, so the window is one
UPDATE long). The lease then expires and the message is sent again: one duplicate for each
message a kill catches there, with the same Message-ID, so mail software can fold the two. No
protocol closes that window without the receiver's help.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import random
import smtplib
import time
from collections.abc import Mapping, Sequence
from contextlib import suppress
from email.utils import parseaddr
from functools import partial

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import make_msgid
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from ..models import Action, Campaign, Channel, Delivery, DeliverySlot
from .fax import fax_connection, fax_enabled, fax_letter_pdf

logger = logging.getLogger(__name__)
SEND_DELIVERY_TASK = "campaigns.send_delivery"  # campaigns.tasks.send_delivery, published by name


def _address(value: str) -> str:
    """The bare address, lower-cased: `Kazakhmys <Info@Example.KZ>` -> `info@example.kz`."""
    return parseaddr(value)[1].strip().lower()[:254]


MINUTE = dt.timedelta(minutes=1)


def _interval() -> dt.timedelta | None:
    """How far apart messages to one address are scheduled (None: no throttle)."""
    per_minute = settings.DELIVERY_MAX_PER_MINUTE_PER_ADDRESS
    return MINUTE / per_minute if per_minute > 0 else None


def _lock_recipient(recipient: str) -> None:
    """Claim mail to one address one transaction at a time, so two claims never both pass the limit.

    A PostgreSQL advisory lock held to the end of the transaction. SQLite (the embedded default)
    serialises writers already, and there the throttle is a courtesy rather than a promise.
    """
    if not recipient or connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.blake2b(recipient.encode(), digest_size=8).digest(), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _slot_take(*, recipient: str, earliest: dt.datetime) -> dt.datetime:
    """Reserve the next time from `earliest` at which `recipient` may get a message, and return it.

    Each address has a DeliverySlot row holding when its next message may go; taking a slot moves
    it one interval on. That is one statement (an upsert, whose row lock makes concurrent callers
    take turns) however many messages are queued, so queued mail to one address leaves one interval
    apart, in the order it was scheduled. The claim then enforces the limit itself (no more than N
    claims in any minute), so a task that runs late cannot make a burst.
    """
    interval = _interval()
    if interval is None or not recipient:
        return earliest
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(DeliverySlot._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (recipient, next_at) VALUES (%s, %s) "  # noqa: S608 - our table, values are parameters
                f"ON CONFLICT (recipient) DO UPDATE SET next_at = GREATEST({table}.next_at, %s) "
                "+ make_interval(secs => %s) RETURNING next_at",
                [recipient, earliest + interval, earliest, interval.total_seconds()],
            )
            next_at: dt.datetime = cursor.fetchone()[0]
            return next_at - interval
    # SQLite (the embedded default) has one writer at a time; two statements do.
    row, created = DeliverySlot.objects.get_or_create(recipient=recipient, defaults={"next_at": earliest + interval})
    if created:
        return earliest
    slot = max(row.next_at, earliest)
    DeliverySlot.objects.filter(pk=row.pk).update(next_at=slot + interval)
    return slot


@transaction.atomic
def delivery_queue(
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    cc: Sequence[str] = (),
    reply_to: Sequence[str] = (),
    action: Action | None = None,
    campaign: Campaign | None = None,
    channel: Channel | None = None,
    purpose: str = "action",
    dedupe_key: str | None = None,
    headers: Mapping[str, str] | None = None,
    kind: str = Delivery.Kind.EMAIL,
    letter: Mapping[str, object] | None = None,
) -> Delivery:
    """Queue one email (or a fax, whose `letter` is rendered as a PDF when it is sent).

    The task that sends it is published only when the transaction commits.

    With a `dedupe_key`, queuing the same key again returns the first row and sends nothing more.
    """
    if dedupe_key:
        existing = Delivery.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    recipient = _address(to[0]) if to else ""
    if not recipient:
        raise ValidationError({"to": _("A message needs an address to go to.")})
    not_before = _slot_take(recipient=recipient, earliest=timezone.now())
    try:
        # A savepoint only when there is a key a concurrent transaction may have taken first.
        with transaction.atomic(savepoint=bool(dedupe_key)):
            delivery = Delivery.objects.create(
                to=list(to),
                cc=list(cc),
                reply_to=list(reply_to),
                # One line (a newline would be refused as header injection), and what the row holds.
                subject=" ".join(subject.split())[: Delivery._meta.get_field("subject").max_length],
                body=body,
                action=action,
                campaign=campaign or (action.campaign if action else None),
                channel=channel,
                purpose=purpose,
                dedupe_key=dedupe_key,
                recipient=recipient,
                not_before=not_before,
                headers=dict(headers or {}),
                kind=kind,
                letter=dict(letter or {}),
            )
    except IntegrityError:
        # The same dedupe_key committed by a concurrent transaction since we looked.
        if dedupe_key:
            return Delivery.objects.get(dedupe_key=dedupe_key)
        raise
    transaction.on_commit(partial(delivery_publish, delivery_id=delivery.pk, not_before=not_before))
    return delivery


def delivery_publish(*, delivery_id: int, not_before: dt.datetime | None = None) -> None:
    """Hand a delivery to the workers, at its time. Best effort: a publish lost here is the sweep's to repair.

    Countdowns are capped (DELIVERY_MAX_COUNTDOWN_SECONDS, well below the broker's visibility
    timeout); a task woken before its row is due publishes itself again.
    """
    # By name from the app's registry, not by importing campaigns.tasks (which imports this module).
    send_delivery = current_app.tasks[SEND_DELIVERY_TASK]
    delay = max(0.0, (not_before - timezone.now()).total_seconds()) if not_before else 0.0
    if send_delivery.app.conf.task_always_eager:
        # In-process (embedded default, tests): nothing can wait, so mail not yet due is left
        # to the sweep (`manage.py run_scheduled`, or beat when there is one).
        if delay <= 0:
            send_delivery.delay(delivery_id)
        return
    try:
        send_delivery.apply_async((delivery_id,), countdown=min(delay, settings.DELIVERY_MAX_COUNTDOWN_SECONDS) or None)
    except (BrokerError, OSError) as exc:
        logger.warning("delivery %s not published (%s); the outbox sweep will publish it", delivery_id, exc)


def _classify(exc: BaseException) -> tuple[bool, str]:
    """(permanent?, reason) for an exception raised while sending."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = exc.recipients.items()
        reason = "; ".join(f"{address}: {code} {_text(message)}" for address, (code, message) in refused)
        return all(code >= 500 for _, (code, _) in refused), f"recipient refused: {reason}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        # Our credentials, not the recipient: retrying after someone fixes EMAIL_URL may work.
        return False, f"SMTP authentication failed: {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500, f"SMTP {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPException | OSError | SoftTimeLimitExceeded):
        # Lost or refused connections, timeouts (socket.timeout is an OSError), a slow server.
        return False, f"{type(exc).__name__}: {exc}"
    return True, f"{type(exc).__name__}: {exc}"


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _backoff(attempts: int) -> dt.timedelta:
    """Exponential backoff with jitter, so retries after an outage do not arrive in a wave."""
    seconds = min(settings.DELIVERY_RETRY_MAX_SECONDS, settings.DELIVERY_RETRY_BASE_SECONDS * 2 ** (attempts - 1))
    return dt.timedelta(seconds=seconds * random.uniform(0.75, 1.25))  # noqa: S311 - jitter, not secrecy


def delivery_send(*, delivery_id: int) -> str:
    """Send a queued delivery once, and say what happened.

    Returns one of: sent, retry (transient error, queued again), failed, throttled (moved to a
    later slot), not-due, busy (another worker holds it), done (already sent or failed), missing.
    """
    now = timezone.now()
    delivery = Delivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        return "missing"
    if delivery.state in (Delivery.State.SENT, Delivery.State.FAILED):
        return "done"
    lease = dt.timedelta(seconds=settings.DELIVERY_SENDING_LEASE_SECONDS)
    if delivery.state == Delivery.State.SENDING and delivery.claimed_at and delivery.claimed_at > now - lease:
        return "busy"
    if delivery.state == Delivery.State.QUEUED and delivery.not_before > now:
        delivery_publish(delivery_id=delivery.pk, not_before=delivery.not_before)
        return "not-due"
    # Queued and due, or sending past its lease (its worker died mid-send): ours to claim.
    claimable = Delivery.objects.filter(pk=delivery.pk).filter(
        Q(state=Delivery.State.QUEUED, not_before__lte=now) | Q(state=Delivery.State.SENDING, claimed_at__lte=now - lease)
    )
    if delivery.state == Delivery.State.SENDING and delivery.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
        claimable.update(
            state=Delivery.State.FAILED,
            last_error=f"gave up after {delivery.attempts} attempts: the worker was lost during the last one",
        )
        return "failed"
    message_id = delivery.message_id or make_msgid(domain=settings.EMAIL_MESSAGE_ID_DOMAIN)
    limit = settings.DELIVERY_MAX_PER_MINUTE_PER_ADDRESS
    with transaction.atomic():
        if limit > 0:
            _lock_recipient(delivery.recipient)
        now = timezone.now()  # the lock may have made us wait
        recent = (
            list(
                Delivery.objects.filter(recipient=delivery.recipient, claimed_at__gt=now - MINUTE)
                .exclude(pk=delivery.pk)
                .order_by("-claimed_at")
                .values_list("claimed_at", flat=True)[:limit]
            )
            if limit > 0 and delivery.recipient
            else []
        )
        if limit > 0 and len(recent) >= limit:
            # A full minute's worth went out already: wait until the oldest of them leaves the window.
            slot = _slot_take(recipient=delivery.recipient, earliest=recent[limit - 1] + MINUTE)
            if claimable.update(state=Delivery.State.QUEUED, not_before=slot):
                transaction.on_commit(partial(delivery_publish, delivery_id=delivery.pk, not_before=slot))
                return "throttled"
            return "busy"
        claimed = claimable.update(
            state=Delivery.State.SENDING, attempts=F("attempts") + 1, claimed_at=now, message_id=message_id
        )
    if not claimed:
        return "busy"
    attempts = delivery.attempts + 1
    try:
        message = _message(delivery=delivery, message_id=message_id)
        _send(message=message, fax=delivery.kind == Delivery.Kind.FAX)  # returns once the server answered DATA with 250
    except Exception as exc:
        return _after_failure(delivery=delivery, attempts=attempts, exc=exc)
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING).update(
        state=Delivery.State.SENT, sent_at=timezone.now()
    )
    return "sent"


def _message(*, delivery: Delivery, message_id: str) -> EmailMessage:
    """The message, for the site's mail server or (a fax) the gateway."""
    fax = delivery.kind == Delivery.Kind.FAX
    message = EmailMessage(
        subject=delivery.subject,
        body=delivery.body,
        from_email=settings.FAX_FROM_EMAIL if fax else settings.DEFAULT_FROM_EMAIL,
        to=delivery.to,
        cc=delivery.cc,
        reply_to=delivery.reply_to,
        headers={**delivery.headers, "Message-ID": message_id},
    )
    if fax:
        if not fax_enabled():
            raise FaxNotConfigured("this site sends no faxes now (FAX_GATEWAY is unset)")
        slug = delivery.campaign.slug if delivery.campaign else "letter"
        pdf = fax_letter_pdf(letter=delivery.letter, campaign=delivery.campaign)
        message.attach(f"letter-{slug}.pdf", pdf, "application/pdf")
    return message


# A worker process keeps its connection to each mail server open between messages: a new SMTP
# conversation (connect, EHLO, STARTTLS, AUTH) costs more than sending one message on it. Keyed by
# the server's settings, so a changed setting opens a new one. Nothing is cached mid-conversation:
# a connection is taken out while it is used and put back only after a message went through.
_connections: dict[tuple[object, ...], tuple[BaseEmailBackend, float]] = {}


def _connection_key(*, fax: bool) -> tuple[object, ...]:
    if fax:
        return ("fax", settings.FAX_GATEWAY, settings.EMAIL_TIMEOUT)
    return (
        "site",
        settings.EMAIL_BACKEND,
        settings.EMAIL_HOST,
        settings.EMAIL_PORT,
        settings.EMAIL_HOST_USER,
        settings.EMAIL_USE_TLS,
        settings.EMAIL_USE_SSL,
        settings.EMAIL_TIMEOUT,
    )


def _connection_open(*, fax: bool) -> BaseEmailBackend:
    backend = fax_connection() if fax else get_connection(fail_silently=False)
    backend.open()
    return backend


def delivery_connections_close() -> None:
    """Close the connections this process keeps open (a worker shutting down; tests)."""
    while _connections:
        _close(_connections.popitem()[1][0])


def _close(backend: BaseEmailBackend) -> None:
    with suppress(Exception):  # a rude goodbye changes nothing
        backend.close()


def _send(*, message: EmailMessage, fax: bool) -> None:
    """Send one message on this process's open connection to its server, opening one if needed.

    A connection idle longer than DELIVERY_CONNECTION_IDLE_SECONDS is closed rather than reused
    (servers drop idle clients); if a reused one turns out to have been dropped, the message goes
    once more on a fresh connection. Any other error closes the connection and propagates.
    """
    key = _connection_key(fax=fax)
    idle = settings.DELIVERY_CONNECTION_IDLE_SECONDS
    cached = _connections.pop(key, None)
    backend = None
    if cached is not None:
        if time.monotonic() - cached[1] < idle:
            backend = cached[0]
        else:
            _close(cached[0])
    reused = backend is not None
    try:
        if backend is None:
            backend = _connection_open(fax=fax)
        try:
            backend.send_messages([message])
        except smtplib.SMTPServerDisconnected:
            if not reused:
                raise
            _close(backend)
            backend = _connection_open(fax=fax)
            backend.send_messages([message])
    except BaseException:
        if backend is not None:
            _close(backend)
        raise
    if idle > 0:
        _connections[key] = (backend, time.monotonic())
    else:
        _close(backend)


class FaxNotConfigured(Exception):
    """Permanent: the gateway was unset after the fax was queued."""


def _after_failure(*, delivery: Delivery, attempts: int, exc: Exception) -> str:
    permanent, reason = _classify(exc)
    kind = "permanent" if permanent else "transient"
    logger.warning("delivery %s attempt %s failed (%s): %s", delivery.pk, attempts, kind, reason)
    ours = Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING)
    if permanent or attempts >= settings.DELIVERY_MAX_ATTEMPTS:
        last_error = reason if permanent else f"gave up after {attempts} attempts: {reason}"
        ours.update(state=Delivery.State.FAILED, last_error=last_error[:2000])
        return "failed"
    with transaction.atomic():
        slot = _slot_take(recipient=delivery.recipient, earliest=timezone.now() + _backoff(attempts))
        if ours.update(state=Delivery.State.QUEUED, not_before=slot, last_error=reason[:2000]):
            transaction.on_commit(partial(delivery_publish, delivery_id=delivery.pk, not_before=slot))
    return "retry"


def delivery_sweep(*, limit: int = 1000) -> dict[str, int]:
    """Publish again what a crash or a lost broker message left behind; counts what it found.

    `overdue`: queued rows due for longer than the grace period (their task never came: the
    process died between commit and publish, or Redis lost the message). `stuck`: rows sending
    for longer than the lease (their worker died mid-send); the task claims them again.
    """
    now = timezone.now()
    grace = dt.timedelta(seconds=settings.DELIVERY_SWEEP_GRACE_SECONDS)
    lease = dt.timedelta(seconds=settings.DELIVERY_SENDING_LEASE_SECONDS)
    overdue = list(
        Delivery.objects.filter(state=Delivery.State.QUEUED, not_before__lte=now - grace)
        .order_by("not_before")
        .values_list("pk", flat=True)[:limit]
    )
    stuck = list(
        Delivery.objects.filter(state=Delivery.State.SENDING, claimed_at__lte=now - lease)
        .order_by("claimed_at")
        .values_list("pk", flat=True)[:limit]
    )
    for delivery_id in stuck + overdue:
        delivery_publish(delivery_id=delivery_id)
    if overdue or stuck:
        logger.info("outbox sweep: %s overdue, %s stuck sending, published again", len(overdue), len(stuck))
    return {"overdue": len(overdue), "stuck": len(stuck)}


@transaction.atomic
def delivery_requeue(*, delivery: Delivery) -> bool:
    """An organiser's "try again" for a failed delivery: a fresh round of attempts, at the next free slot."""
    if not Delivery.objects.select_for_update().filter(pk=delivery.pk, state=Delivery.State.FAILED).exists():
        return False  # a slot is taken only for a delivery that will use it
    slot = _slot_take(recipient=delivery.recipient, earliest=timezone.now())
    if not Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.FAILED).update(
        state=Delivery.State.QUEUED, attempts=0, not_before=slot
    ):
        return False
    transaction.on_commit(partial(delivery_publish, delivery_id=delivery.pk, not_before=slot))
    return True
