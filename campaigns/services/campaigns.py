"""Writes an organiser makes while running a campaign: its status, updates, demand outcomes."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Campaign, CampaignStatusChange, Demand, Update
from ..partial_dates import normalise_partial_date
from .notifications import notifications_for_campaign_status, notifications_for_demand_outcome, notifications_for_update


@transaction.atomic
def campaign_status_set(*, campaign: Campaign, status: str, by: User | None = None) -> Campaign:
    """Publish, win, lose or close a campaign: the one way its status changes.

    The history keeps every change (who, when, from what); supporters who asked for news hear of an
    outcome (won, partly won, lost, closed), queued in this transaction and sent once it commits.
    """
    if status not in Campaign.Status.values:
        raise ValidationError(
            {
                "status": _("%(status)s is not a status: use one of %(choices)s.")
                % {"status": repr(status), "choices": ", ".join(Campaign.Status.values)}
            }
        )
    previous = Campaign.objects.select_for_update().values_list("status", flat=True).get(pk=campaign.pk)
    campaign.status = status
    if status == previous:
        return campaign
    Campaign.objects.filter(pk=campaign.pk).update(status=status, modified=timezone.now())
    CampaignStatusChange.objects.create(campaign=campaign, status=status, previous=previous, by=by)
    notifications_for_campaign_status(campaign=campaign, previous=previous)
    return campaign


@transaction.atomic
def update_post(
    *,
    campaign: Campaign,
    title: str,
    text: str = "",
    date: dt.date | None = None,
    author: AbstractBaseUser | AnonymousUser | None = None,
) -> Update:
    """Post news on a campaign (an arrest, a release, a win)."""
    if not title.strip():
        raise ValidationError({"title": _("Give the update a title.")})
    update = Update.objects.create(
        campaign=campaign,
        title=title.strip(),
        text=text.strip(),
        date=date or timezone.localdate(),
        author=author if isinstance(author, User) else None,
    )
    # Supporters who asked for news get it; queued in this transaction, sent once it commits.
    notifications_for_update(update=update)
    return update


@transaction.atomic
def demand_outcome_set(*, demand: Demand, status: str, date: str = "", evidence: str = "") -> Demand:
    """Record what became of a demand: met, partly met, rejected (or open again)."""
    errors = {}
    if status not in Demand.Status.values:
        errors["status"] = _("Use one of %(choices)s.") % {"choices": ", ".join(Demand.Status.values)}
    try:
        date = normalise_partial_date(date)
    except ValidationError as exc:
        errors["date"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    previous = Demand.objects.select_for_update().values_list("status", flat=True).get(pk=demand.pk)
    demand.status, demand.date, demand.evidence = status, date, evidence.strip()
    demand.save(update_fields=["status", "date", "evidence"])
    if status != previous and status != Demand.Status.OPEN:
        notifications_for_demand_outcome(demand=demand)
    return demand
