"""Writes an organiser makes while running a campaign: updates, demand outcomes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Campaign, Demand, Update
from ..partial_dates import normalise_partial_date


@transaction.atomic
def update_post(*, campaign: Campaign, title: str, text: str = "", date: dt.date | None = None, author=None) -> Update:
    """Post news on a campaign (an arrest, a release, a win)."""
    if not title.strip():
        raise ValidationError({"title": "Give the update a title."})
    return Update.objects.create(
        campaign=campaign, title=title.strip(), text=text.strip(), date=date or timezone.localdate(), author=author
    )


@transaction.atomic
def demand_outcome_set(*, demand: Demand, status: str, date: str = "", evidence: str = "") -> Demand:
    """Record what became of a demand: met, partly met, rejected (or open again)."""
    errors = {}
    if status not in Demand.Status.values:
        errors["status"] = f"Use one of {', '.join(Demand.Status.values)}."
    try:
        date = normalise_partial_date(date)
    except ValidationError as exc:
        errors["date"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    demand.status, demand.date, demand.evidence = status, date, evidence.strip()
    demand.save(update_fields=["status", "date", "evidence"])
    return demand
