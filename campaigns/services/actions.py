"""Writes about actions: what supporters and organisations did in answer to a campaign."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..letters import email_body
from ..models import Action, Campaign, Channel, Delivery, Organisation, Signatory, Supporter, Target
from ..selectors.campaigns import channels_known
from .delivery import delivery_queue
from .supporters import supporter_for_action
from .tallies import action_tally_add


def action_dedupe_key(
    *,
    campaign: Campaign,
    kind: str,
    targets: Sequence[Target],
    supporter: Supporter | None = None,
    submission: str = "",
    date: dt.date | None = None,
) -> str | None:
    """What makes two actions the same one, or None when nothing identifies the supporter.

    A supporter known by email acting on the same target(s) the same way counts once. Without
    targets (a rally, a donation) the day is part of it: two pickets on two days are two actions.
    Without an email, a form's one-off submission id still makes a double-click count once.
    """
    target_ids = ",".join(str(pk) for pk in sorted({t.pk for t in targets}))
    if supporter is not None and supporter.email:
        parts = ["supporter", str(campaign.pk), supporter.email.strip().lower(), kind, target_ids]
        if not target_ids:
            parts.append((date or timezone.localdate()).isoformat())
    elif submission:
        parts = ["submission", str(campaign.pk), submission, kind, target_ids]
    else:
        return None
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@transaction.atomic
def action_record(
    *,
    campaign: Campaign,
    kind: str,
    targets: Sequence[Target] = (),
    supporter: Supporter | None = None,
    organisations: Sequence[Organisation] = (),
    channel: Channel | None = None,
    date: dt.date | None = None,
    text: str = "",
    subject: str = "",
    reference: str = "",
    salutation: str = "",
    represents: int = 1,
    copies_sent: bool = False,
    country: str = "",
    signatories: Sequence[dict] = (),
    via: str = Action.Via.RECORDED,
    dedupe: bool = True,
    submission: str = "",
) -> Action:
    """Record an action, refusing what cannot be true; errors are keyed by field.

    The same supporter (by email) acting on the same target(s) the same way counts once: the action
    already recorded is returned with `repeat` set, and nothing is written. `submission` is a form's
    one-off id, so resubmitting it counts once too. `dedupe=False` records every call.
    The campaign's totals (ActionTally) are counted in the same transaction.
    """
    errors: dict[str, str] = {}
    if kind not in Action.Kind.values:
        errors["kind"] = f"{kind!r} is not a kind of action: use one of {', '.join(Action.Kind.values)}."
    foreign = [t.name for t in targets if t.campaign_id != campaign.pk]
    if foreign:
        errors["targets"] = f"Not targets of this campaign: {', '.join(foreign)}."
    if channel is not None and channel.target_id not in {t.pk for t in targets}:
        errors["channel"] = "The channel must belong to one of the chosen targets."
    if channel is not None and channel.masked:
        errors["channel"] = "That address is not known yet, so nothing can have been sent to it."
    date = date or timezone.localdate()
    if date > timezone.localdate() + dt.timedelta(days=1):
        errors["date"] = "The date is in the future: record an action once it is done."
    if not isinstance(represents, int) or represents < 1:
        errors["represents"] = "An action speaks for at least one person."
    if errors:
        raise ValidationError(errors)
    dedupe_key = None
    if dedupe:
        dedupe_key = action_dedupe_key(
            campaign=campaign, kind=kind, targets=targets, supporter=supporter, submission=submission, date=date
        )
    if dedupe_key:
        existing = Action.objects.filter(campaign=campaign, dedupe_key=dedupe_key).first()
        if existing is not None:
            existing.repeat = True
            return existing
    try:
        # A savepoint when there is a key: if a twin request commits the same key first, this insert fails alone.
        with transaction.atomic(savepoint=dedupe_key is not None):
            action = Action.objects.create(
                campaign=campaign,
                kind=kind,
                supporter=supporter,
                channel=channel,
                date=date,
                text=text,
                subject=subject,
                reference=reference,
                salutation=salutation,
                represents=represents,
                copies_sent=copies_sent,
                country=country,
                via=via,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        existing = Action.objects.filter(campaign=campaign, dedupe_key=dedupe_key).first() if dedupe_key else None
        if existing is None:
            raise
        existing.repeat = True
        return existing
    # A new action has no links yet: insert them, without the reads that .set() makes to compare.
    Action.targets.through.objects.bulk_create(
        Action.targets.through(action=action, target_id=pk) for pk in sorted({t.pk for t in targets})
    )
    Action.organisations.through.objects.bulk_create(
        Action.organisations.through(action=action, organisation_id=pk) for pk in sorted({o.pk for o in organisations})
    )
    Signatory.objects.bulk_create(
        Signatory(action=action, position=i, name=s["name"], title=s.get("title", ""), organisation=s.get("organisation", ""))
        for i, s in enumerate(signatories)
    )
    action_tally_add(action=action, targets=targets, channel=channel)
    return action


# The kind of action each way of reaching a target makes.
KIND_FOR_CHANNEL: dict[str, str] = {
    Channel.Kind.EMAIL: Action.Kind.EMAIL,
    Channel.Kind.FAX: Action.Kind.FAX,
    Channel.Kind.PHONE: Action.Kind.CALL,
    Channel.Kind.POSTAL: Action.Kind.LETTER,
    Channel.Kind.WEB: Action.Kind.OTHER,
    Channel.Kind.SOCIAL: Action.Kind.SOCIAL,
}


@dataclass(frozen=True)
class ActionTaken:
    action: Action
    repeat: bool
    delivery: Delivery | None


@transaction.atomic
def action_take(
    *,
    campaign: Campaign,
    kind: str,
    targets: Sequence[Target] = (),
    channel: Channel | None = None,
    send: bool = False,
    subject: str = "",
    text: str = "",
    name: str = "",
    email: str = "",
    organisation: str = "",
    country: str = "",
    consent_updates: bool = False,
    represents: int = 1,
    date: dt.date | None = None,
    submission: str = "",
) -> ActionTaken:
    """A supporter acts from the public pages: who they are, what they did, and the email if the platform sends it.

    With `send`, the message goes by email from the platform's address to every chosen target whose
    address is known (Reply-To the supporter when they give an email, copies to the campaign's copy-to
    recipients); the worker sends it after commit. A repeat sends nothing again.
    """
    to: list[str] = []
    cc: list[str] = []
    if send:
        reached = channels_known(targets=targets, kind=Channel.Kind.EMAIL)
        if not text.strip():
            raise ValidationError({"text": "Write the message to send."})
        if not reached:
            names = ", ".join(t.name for t in targets) or "the chosen target"
            raise ValidationError(
                {"targets": f"No email address is known yet for {names}: send it yourself by fax or post, or print a letter."}
            )
        targets = list({t.pk: t for t, _ in reached}.values())  # only those the email reaches
        channel, kind = reached[0][1], Action.Kind.EMAIL
        to = list(dict.fromkeys(c.value for _, c in reached))
        cc = list(
            Channel.objects.filter(
                target__campaign=campaign, target__role=Target.Role.COPY_TO, kind=Channel.Kind.EMAIL, masked=False
            ).values_list("value", flat=True)
        )
    supporter = supporter_for_action(
        campaign=campaign, name=name, email=email, organisation=organisation, country=country, consent_updates=consent_updates
    )
    action = action_record(
        campaign=campaign,
        kind=kind,
        targets=targets,
        supporter=supporter,
        channel=channel,
        date=date,
        subject=subject.strip(),
        text=text.strip(),
        represents=represents,
        copies_sent=bool(cc),
        country=country,
        via=Action.Via.PLATFORM if send else Action.Via.RECORDED,
        submission=submission,
    )
    if action.repeat:
        return ActionTaken(action=action, repeat=True, delivery=action.deliveries.order_by("-id").first())
    delivery = None
    if send:
        reply_to = [supporter.email] if supporter and supporter.email else []
        delivery = delivery_queue(
            to=to,
            cc=cc,
            reply_to=reply_to,
            subject=subject.strip() or campaign.message_subject or campaign.title,
            body=email_body(
                campaign=campaign, text=text, name=name, organisation=organisation, country=country, reply_to=bool(reply_to)
            ),
            action=action,
            campaign=campaign,
            channel=channel,
        )
    return ActionTaken(action=action, repeat=False, delivery=delivery)
