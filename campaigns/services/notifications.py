"""Mail the platform writes on its own: news to supporters who asked for it, reminders, escalations, digests.

Every message is a Delivery with a dedupe_key, so running any of these twice (a redelivered task,
beat firing again, an organiser saving twice) queues nothing more. News is queued inside the
transaction that made it (an update, a status change, an outcome): it leaves only when that
commits, and a crash after the commit cannot lose it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..models import Campaign, Delivery, Demand, Person, PersonStatusChange, Supporter, Update
from ..selectors.notifications import (
    organiser_digest,
    organisers_of,
    organisers_with_email,
    supporters_to_notify,
    targets_awaiting_response,
)
from .delivery import delivery_queue

NEWS_PURPOSES = ("notification", "reminder")


def _unsubscribe_urls(supporter: Supporter) -> tuple[str, str]:
    page = settings.SITE_URL + reverse("unsubscribe:confirm", args=[supporter.unsubscribe_token])
    one_click = settings.SITE_URL + reverse("unsubscribe:one_click", args=[supporter.unsubscribe_token])
    return page, one_click


def _news_queue(*, campaign: Campaign, key: str, purpose: str, subject: str, headline: str, text: str) -> int:
    """One message per consenting supporter of the campaign; `key` makes it once per supporter."""
    if campaign.status == Campaign.Status.DRAFT:
        return 0
    supporters = supporters_to_notify(campaign=campaign)
    keys = {s.pk: f"{key}:{s.pk}" for s in supporters}
    already = set(Delivery.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
    queued = 0
    for supporter in supporters:
        if keys[supporter.pk] in already:
            continue
        page, one_click = _unsubscribe_urls(supporter)
        body = render_to_string(
            "campaigns/email/supporter_news.txt",
            {
                "campaign": campaign,
                "campaign_url": settings.SITE_URL + reverse("campaigns:campaign", args=[campaign.slug]),
                "headline": headline,
                "text": text,
                "unsubscribe_url": page,
            },
        )
        delivery_queue(
            to=[supporter.email],
            subject=subject,
            body=body,
            campaign=campaign,
            purpose=purpose,
            dedupe_key=keys[supporter.pk],
            # RFC 8058: mail software offers its own unsubscribe button, which POSTs to one_click.
            headers={"List-Unsubscribe": f"<{one_click}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
        queued += 1
    return queued


def notifications_for_update(*, update: Update) -> int:
    campaign = update.campaign
    return _news_queue(
        campaign=campaign,
        key=f"notify:update:{update.pk}",
        purpose="notification",
        subject=f"{campaign.title}: {update.title}",
        headline=update.title,
        text=update.text,
    )


def notifications_for_person_status(*, change: PersonStatusChange) -> int:
    person: Person = change.person
    status = change.get_status_display().lower()
    when = f" ({change.date})" if change.date else ""
    return _news_queue(
        campaign=person.campaign,
        key=f"notify:person:{change.pk}",
        purpose="notification",
        subject=f"{person.campaign.title}: {person.name} {status}",
        headline=f"{person.name}{f', {person.role},' if person.role else ''} is now {status}{when}.",
        text=change.text,
    )


CAMPAIGN_OUTCOMES = {
    Campaign.Status.WON: "The campaign is won",
    Campaign.Status.PARTLY_WON: "The campaign is partly won",
    Campaign.Status.LOST: "The campaign is lost",
    Campaign.Status.CLOSED: "The campaign is closed",
}


def notifications_for_campaign_status(*, campaign: Campaign, previous: str) -> int:
    """An outcome is news; publishing is not (a draft has no supporters yet), nor going back to active."""
    headline = CAMPAIGN_OUTCOMES.get(Campaign.Status(campaign.status))
    if headline is None:
        return 0
    return _news_queue(
        campaign=campaign,
        key=f"notify:campaign:{campaign.pk}:{campaign.status}",
        purpose="notification",
        subject=f"{campaign.title}: {campaign.get_status_display()}",
        headline=f"{headline}.",
        text="",
    )


def notifications_for_demand_outcome(*, demand: Demand) -> int:
    status = demand.get_status_display().lower()
    return _news_queue(
        campaign=demand.campaign,
        key=f"notify:demand:{demand.pk}:{demand.status}",
        purpose="notification",
        subject=f"{demand.campaign.title}: a demand {status}",
        headline=f"The demand “{demand.text}” is {status}{f' ({demand.date})' if demand.date else ''}.",
        text=demand.evidence,
    )


@transaction.atomic
def deadline_reminders_queue(*, today: dt.date | None = None) -> int:
    """Remind consenting supporters of active campaigns whose deadline is near; once per supporter and campaign."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.REMINDER_DAYS_BEFORE_DEADLINE)
    queued = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.ACTIVE, deadline__gte=today, deadline__lte=horizon):
        assert campaign.deadline is not None  # the filter says so
        days = (campaign.deadline - today).days
        left = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        queued += _news_queue(
            campaign=campaign,
            key=f"remind:deadline:{campaign.pk}",
            purpose="reminder",
            subject=f"{campaign.title}: the deadline is {left}",
            headline=f"The deadline of “{campaign.title}” is {campaign.deadline:%-d %B %Y}, {left}.",
            text="Thank you for acting. If your branch, your colleagues or your friends have not acted yet, "
            "there is still time: pass the appeal on now.",
        )
    return queued


@transaction.atomic
def escalations_queue(*, today: dt.date | None = None) -> int:
    """Tell a campaign's organisers when a target has had actions for N days and answered nothing.

    Once per target and organiser in each N-day window, so the reminder comes back every N days
    while the silence lasts.
    """
    today = today or timezone.localdate()
    every = settings.ESCALATION_AFTER_DAYS
    queued = 0
    for target in targets_awaiting_response(acted_on_or_before=today - dt.timedelta(days=every)):
        campaign = target.campaign
        days = (today - target.first_action).days  # type: ignore[attr-defined]  # annotated by the selector
        response_url = settings.SITE_URL + reverse("admin:campaigns_response_add") + f"?campaign={campaign.pk}&target={target.pk}"
        body = render_to_string(
            "campaigns/email/escalation.txt",
            {"target": target, "campaign": campaign, "days": days, "every": every, "response_url": response_url},
        )
        for organiser in organisers_of(campaign=campaign):
            key = f"escalate:{target.pk}:{days // every}:{organiser.pk}"
            if Delivery.objects.filter(dedupe_key=key).exists():
                continue
            delivery_queue(
                to=[organiser.email],
                subject=f"{campaign.title}: no answer from {target.name} after {days} days",
                body=body,
                campaign=campaign,
                purpose="escalation",
                dedupe_key=key,
            )
            queued += 1
    return queued


@transaction.atomic
def digests_queue(*, now: dt.datetime | None = None) -> int:
    """Each organiser's daily digest of the last 24 hours, when something happened; once per organiser and day."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=1)
    queued = 0
    for organiser in organisers_with_email():
        key = f"digest:{organiser.pk}:{now.date()}"
        if Delivery.objects.filter(dedupe_key=key).exists():
            continue
        days = [day for day in organiser_digest(user=organiser, since=since) if day.anything]
        if not days:
            continue
        body = render_to_string(
            "campaigns/email/digest.txt",
            {
                "days": days,
                "since": since,
                "admin_url": settings.SITE_URL + reverse("admin:index"),
                "failed_url": settings.SITE_URL + reverse("admin:campaigns_delivery_changelist") + "?state__exact=failed",
            },
        )
        actions = sum(day.actions for day in days)
        delivery_queue(
            to=[organiser.email],
            subject=f"Daily digest: {actions} action{pluralize(actions)} on {len(days)} campaign{pluralize(len(days))}",
            body=body,
            purpose="digest",
            dedupe_key=key,
        )
        queued += 1
    return queued


@transaction.atomic
def supporter_unsubscribe(*, token: str) -> bool:
    """Stop news to this supporter's address (every row with it), and drop news still queued for it.

    Returns False for an unknown token.
    """
    supporter = Supporter.objects.filter(unsubscribe_token=token).first()
    if supporter is None:
        return False
    if supporter.email:
        Supporter.objects.filter(email__iexact=supporter.email).update(consent_updates=False)
        Delivery.objects.filter(
            recipient=supporter.email.strip().lower(), purpose__in=NEWS_PURPOSES, state=Delivery.State.QUEUED
        ).update(state=Delivery.State.FAILED, last_error="cancelled: the supporter unsubscribed")
    else:
        Supporter.objects.filter(pk=supporter.pk).update(consent_updates=False)
    return True
