"""Writes about targets and their contact channels."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ..channels import channel_normalise
from ..models import Channel, Target


@transaction.atomic
def channel_fill(*, target: Target, kind: str, value: str, label: str = "") -> Channel:
    """Give a target an address an organiser has found.

    It fills in the target's first masked channel of that kind (an address the appeal's source hid),
    or else adds a channel; an address the target already has is returned as it is.
    """
    if kind not in Channel.Kind.values:
        raise ValidationError({"kind": _("Use one of %(choices)s.") % {"choices": ", ".join(Channel.Kind.values)}})
    value, e164 = channel_normalise(kind=kind, value=value, masked=False, default_region=str(target.country) or None)
    existing = target.channels.filter(kind=kind, value=value, masked=False).first()
    if existing is not None:
        return existing
    channel = target.channels.select_for_update().filter(kind=kind, masked=True).order_by("position", "id").first()
    if channel is None:
        position = (target.channels.aggregate(last=Max("position"))["last"] or 0) + 1
        return Channel.objects.create(target=target, kind=kind, value=value, e164=e164, label=label.strip(), position=position)
    channel.value, channel.e164, channel.masked = value, e164, False
    if label.strip():
        channel.label = label.strip()
    channel.save(update_fields=["value", "e164", "masked", "label"])
    return channel
