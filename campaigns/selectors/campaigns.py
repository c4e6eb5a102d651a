"""Reads for the public pages and the organisers' dashboard, each in a fixed number of queries."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When, prefetch_related_objects

from .. import models as m
from ..permissions import campaigns_visible_to


def campaigns_public_list(
    *, user: AbstractBaseUser | AnonymousUser, query: str = "", country: str = "", status: str = ""
) -> QuerySet[m.Campaign]:
    """Published campaigns (and the user's own drafts), active first, newest first; searched and filtered."""
    campaigns = campaigns_visible_to(user)
    if query:
        campaigns = campaigns.filter(
            Q(title__icontains=query) | Q(summary__icontains=query) | Q(place__icontains=query) | Q(sector__icontains=query)
        )
    if country:
        campaigns = campaigns.filter(country=country)
    if status:
        campaigns = campaigns.filter(status=status)
    active_first = Case(When(status=m.Campaign.Status.ACTIVE, then=Value(0)), default=Value(1), output_field=IntegerField())
    return campaigns.annotate(active_first=active_first).order_by("active_first", "-created", "-id")


def campaign_countries(*, user: AbstractBaseUser | AnonymousUser) -> list[str]:
    """The countries that campaigns visible to the user are in, for the list's filter."""
    return sorted({str(c) for c in campaigns_visible_to(user).exclude(country="").values_list("country", flat=True).order_by()})


def target_queryset() -> QuerySet[m.Target]:
    return m.Target.objects.prefetch_related("channels")


def campaign_page(*, campaign: m.Campaign) -> m.Campaign:
    """The campaign with what its public page shows loaded: targets and channels, demands, people, updates ..."""
    prefetch_related_objects(
        [campaign],
        Prefetch("targets", queryset=target_queryset()),
        Prefetch("campaign_organisations", queryset=m.CampaignOrganisation.objects.select_related("organisation")),
        "demands",
        Prefetch("people", queryset=m.Person.objects.prefetch_related("history")),
        "events",
        "updates",
        "sources",
    )
    return campaign


def organisation_actions(*, campaign: m.Campaign, limit: int = 10) -> list[m.Action]:
    """Actions organisations took (a federation's letter): public facts, unlike what a supporter did."""
    actions = (
        m.Action.objects.filter(campaign=campaign, organisations__isnull=False)
        .distinct()
        .prefetch_related("organisations", "targets")
        .order_by("-date", "-id")[:limit]
    )
    return list(actions)


def campaign_targets(*, campaign: m.Campaign, role: str = m.Target.Role.TARGET) -> QuerySet[m.Target]:
    return target_queryset().filter(campaign=campaign, role=role)


def recent_actions(*, campaign: m.Campaign, limit: int = 25) -> list[m.Action]:
    """The latest actions with who did them: for organisers of the campaign only (personal data)."""
    actions = (
        m.Action.objects.filter(campaign=campaign)
        .select_related("supporter", "channel")
        .prefetch_related("targets", "organisations")
        .order_by("-created", "-id")[:limit]
    )
    return list(actions)


def delivery_summary(*, campaign: m.Campaign, limit: int = 15) -> dict:
    """Deliveries by state, the latest ones and the latest failures."""
    deliveries = m.Delivery.objects.filter(campaign=campaign)
    counts = dict(deliveries.values_list("state").annotate(n=Count("id")).order_by())
    return {
        "by_state": {state: counts.get(state, 0) for state in m.Delivery.State.values},
        "recent": list(deliveries.select_related("channel__target").order_by("-created", "-id")[:limit]),
        "failures": list(deliveries.filter(state=m.Delivery.State.FAILED).order_by("-created", "-id")[:limit]),
    }


def campaign_responses(*, campaign: m.Campaign) -> list[m.Response]:
    return list(m.Response.objects.filter(campaign=campaign).select_related("target", "recorded_by").order_by("-date", "-id"))


def actions_for_export(*, campaign: m.Campaign) -> QuerySet[m.Action]:
    """Every action of the campaign, oldest first, with what the CSV shows; iterate it in chunks."""
    return (
        m.Action.objects.filter(campaign=campaign)
        .select_related("supporter", "channel")
        .prefetch_related("targets", "organisations")
        .order_by("created", "id")
    )
