"""Outbound email: every message is a Delivery row (the outbox), sent by the worker after commit."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import Action, Campaign, Channel, Delivery

logger = logging.getLogger(__name__)


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
) -> Delivery:
    """Queue one email. The task that sends it is published only when the transaction commits."""
    if dedupe_key:
        existing = Delivery.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    delivery = Delivery.objects.create(
        to=list(to),
        cc=list(cc),
        reply_to=list(reply_to),
        subject=subject,
        body=body,
        action=action,
        campaign=campaign or (action.campaign if action else None),
        channel=channel,
        purpose=purpose,
        dedupe_key=dedupe_key,
    )
    from ..tasks import send_delivery

    transaction.on_commit(lambda: send_delivery.delay(delivery.pk))
    return delivery


def delivery_send(*, delivery_id: int) -> None:
    """Send a queued delivery once. Claiming the row with a conditional UPDATE makes a redelivered task harmless."""
    claimed = Delivery.objects.filter(pk=delivery_id, state=Delivery.State.QUEUED).update(
        state=Delivery.State.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return
    delivery = Delivery.objects.get(pk=delivery_id)
    message_id = delivery.message_id or make_msgid(domain=settings.EMAIL_MESSAGE_ID_DOMAIN)
    message = EmailMessage(
        subject=delivery.subject,
        body=delivery.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=delivery.to,
        cc=delivery.cc,
        reply_to=delivery.reply_to,
        headers={"Message-ID": message_id},
    )
    try:
        message.send()
    except Exception as exc:
        logger.warning("delivery %s failed: %s", delivery_id, exc)
        Delivery.objects.filter(pk=delivery_id).update(
            state=Delivery.State.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:2000], message_id=message_id
        )
        return
    Delivery.objects.filter(pk=delivery_id).update(
        state=Delivery.State.SENT, sent_at=timezone.now(), message_id=message_id, last_error=""
    )
