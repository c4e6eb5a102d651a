"""Writes about what targets answered."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Action, Campaign, Response, Target
from ..rules import FUTURE_RESPONSE, date_is_future


@transaction.atomic
def response_record(
    *,
    campaign: Campaign,
    target: Target,
    classification: str,
    summary: str,
    date: dt.date | None = None,
    channel: str = "",
    reading: str = "",
    action: Action | None = None,
    recorded_by: AbstractBaseUser | AnonymousUser | None = None,
) -> Response:
    errors: dict[str, str] = {}
    if target.campaign_id != campaign.pk:
        errors["target"] = _("%(name)s is not a target of this campaign.") % {"name": target.name}
    if classification not in Response.Classification.values:
        errors["classification"] = _("Use one of %(choices)s.") % {"choices": ", ".join(Response.Classification.values)}
    if not summary.strip():
        errors["summary"] = _("Say what the target answered (or that it did not).")
    date = date or timezone.localdate()
    if date_is_future(date):
        errors["date"] = str(FUTURE_RESPONSE)
    if action is not None and action.campaign_id != campaign.pk:
        errors["action"] = _("That action belongs to another campaign.")
    if errors:
        raise ValidationError(errors)
    return Response.objects.create(
        campaign=campaign,
        target=target,
        classification=classification,
        summary=summary.strip(),
        date=date,
        channel=channel,
        reading=reading,
        action=action,
        recorded_by=recorded_by if isinstance(recorded_by, User) else None,
    )
