"""Writes about actions: what supporters and organisations did in answer to a campaign."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Action, Campaign, Channel, Organisation, Signatory, Supporter, Target


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
) -> Action:
    """Record an action, refusing what cannot be true; errors are keyed by field."""
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
    )
    action.targets.set(targets)
    action.organisations.set(organisations)
    Signatory.objects.bulk_create(
        Signatory(action=action, position=i, name=s["name"], title=s.get("title", ""), organisation=s.get("organisation", ""))
        for i, s in enumerate(signatories)
    )
    return action
