"""Reads behind the mail the platform sends on its own: who gets news, who is waiting, what a digest says."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Count, Min, Q, QuerySet, Sum

from ..models import Action, Campaign, Delivery, Response, Supporter, Target
from ..permissions import campaigns_managed_by


def supporters_to_notify(*, campaign: Campaign) -> list[Supporter]:
    """Supporters who acted on the campaign and asked for its news: one per address (the earliest row)."""
    supporters = (
        Supporter.objects.filter(consent_updates=True, actions__campaign=campaign).exclude(email="").distinct().order_by("pk")
    )
    chosen: dict[str, Supporter] = {}
    for supporter in supporters:
        chosen.setdefault(supporter.email.strip().lower(), supporter)
    return list(chosen.values())


def supporter_language(*, supporter: Supporter) -> str:
    """The language news is written in for this supporter: the one they acted in where it is recorded
    (`Supporter.language`), if the site ships it; else the site's own."""
    recorded = getattr(supporter, "language", "") or ""
    return recorded if recorded in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def organisers_of(*, campaign: Campaign) -> QuerySet[User]:
    """Active members of the campaign's owning organisation who have an email address."""
    if campaign.owner_id is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(memberships__organisation_id=campaign.owner_id, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def organisers_with_email() -> QuerySet[User]:
    return get_user_model().objects.filter(memberships__isnull=False, is_active=True).exclude(email="").distinct().order_by("pk")


def targets_awaiting_response(*, acted_on_or_before: dt.date) -> QuerySet[Target]:
    """Targets of active campaigns that have had actions since `acted_on_or_before` or earlier, and no response."""
    return (
        Target.objects.filter(role=Target.Role.TARGET, campaign__status=Campaign.Status.ACTIVE, responses__isnull=True)
        .annotate(first_action=Min("actions__date"), action_count=Count("actions", distinct=True))
        .filter(first_action__lte=acted_on_or_before)
        .select_related("campaign")
        .order_by("campaign_id", "position", "id")
    )


@dataclass
class CampaignDay:
    campaign: Campaign
    actions: int = 0
    represents: int = 0
    responses: int = 0
    sent: int = 0
    failed: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.actions or self.responses or self.failed)


def organiser_digest(*, user: User, since: dt.datetime) -> list[CampaignDay]:
    """What happened since `since` on each published campaign the user organises (five queries)."""
    managed = campaigns_managed_by(user).exclude(status=Campaign.Status.DRAFT).prefetch_related("translations")
    campaigns = {c.pk: CampaignDay(c) for c in sorted(managed, key=lambda c: (c.title.casefold(), c.pk))}
    actions = Action.objects.filter(campaign_id__in=campaigns, created__gte=since)
    for campaign_id, count, people in (
        actions.values("campaign_id").annotate(n=Count("id"), people=Sum("represents")).values_list("campaign_id", "n", "people")
    ):
        campaigns[campaign_id].actions, campaigns[campaign_id].represents = count, people or 0
    responses = Response.objects.filter(campaign_id__in=campaigns, created__gte=since)
    for campaign_id, count in responses.values("campaign_id").annotate(n=Count("id")).values_list("campaign_id", "n"):
        campaigns[campaign_id].responses = count
    deliveries = Delivery.objects.filter(campaign_id__in=campaigns).filter(
        Q(state=Delivery.State.SENT, sent_at__gte=since) | Q(state=Delivery.State.FAILED, claimed_at__gte=since)
    )
    for campaign_id, state, count in (
        deliveries.values("campaign_id", "state").annotate(n=Count("id")).values_list("campaign_id", "state", "n")
    ):
        setattr(campaigns[campaign_id], state, count)
    return list(campaigns.values())
