"""Mail the platform writes on its own: news to supporters who asked for it, reminders, escalations, digests.

Every message is a Delivery with a dedupe_key, so running any of these twice (a redelivered task,
beat firing again, an organiser saving twice) queues nothing more. News is queued inside the
transaction that made it (an update, a status change, an outcome): it leaves only when that
commits, and a crash after the commit cannot lose it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..languages import language_choose, language_normalise
from ..models import Campaign, Delivery, Demand, Person, PersonStatusChange, Supporter, Update
from ..selectors.campaigns import campaign_languages
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


News = Callable[[], tuple[str, str, str]]  # the subject, headline and text, written in the active language


def _news_queue(*, campaign: Campaign, key: str, purpose: str, news: News) -> int:
    """One message per consenting supporter of the campaign; `key` makes it once per supporter.

    Each is written in the supporter's language: `news` is asked in it (translation.override), with the
    campaign reading in it where translated, else in its original.
    """
    if campaign.status == Campaign.Status.DRAFT:
        return 0
    supporters = supporters_to_notify(campaign=campaign)
    keys = {s.pk: f"{key}:{s.pk}" for s in supporters}
    already = set(Delivery.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
    available = campaign_languages(campaign=campaign)
    reading = campaign.get_current_language()
    site_language = language_normalise(settings.LANGUAGE_CODE)
    queued = 0
    for supporter in supporters:
        if keys[supporter.pk] in already:
            continue
        page, one_click = _unsubscribe_urls(supporter)
        language = supporter.language or site_language
        with translation.override(language):
            campaign.set_current_language(language_choose(wanted=language, available=available, original=campaign.language))
            subject, headline, text = news()
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
    campaign.set_current_language(reading)
    return queued


def notifications_for_update(*, update: Update) -> int:
    campaign = update.campaign
    return _news_queue(
        campaign=campaign,
        key=f"notify:update:{update.pk}",
        purpose="notification",
        # The update is in the language its organiser wrote it in; the campaign's title in the supporter's.
        news=lambda: (
            _("%(campaign)s: %(news)s") % {"campaign": campaign.title, "news": update.title},
            update.title,
            update.text,
        ),
    )


def notifications_for_person_status(*, change: PersonStatusChange) -> int:
    person: Person = change.person

    def news() -> tuple[str, str, str]:
        status = str(change.get_status_display()).lower()
        who = f"{person.name}, {person.role}," if person.role else person.name
        when = f" ({change.date})" if change.date else ""
        subject = _("%(campaign)s: %(name)s %(status)s") % {
            "campaign": person.campaign.title,
            "name": person.name,
            "status": status,
        }
        headline = _("%(who)s is now %(status)s%(when)s.") % {"who": who, "status": status, "when": when}
        return subject, headline, change.text

    return _news_queue(campaign=person.campaign, key=f"notify:person:{change.pk}", purpose="notification", news=news)


CAMPAIGN_OUTCOMES = {
    Campaign.Status.WON: gettext_lazy("The campaign is won."),
    Campaign.Status.PARTLY_WON: gettext_lazy("The campaign is partly won."),
    Campaign.Status.LOST: gettext_lazy("The campaign is lost."),
    Campaign.Status.CLOSED: gettext_lazy("The campaign is closed."),
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
        news=lambda: (
            _("%(campaign)s: %(news)s") % {"campaign": campaign.title, "news": campaign.get_status_display()},
            str(headline),
            "",
        ),
    )


def notifications_for_demand_outcome(*, demand: Demand) -> int:
    campaign = demand.campaign

    def news() -> tuple[str, str, str]:
        status = str(demand.get_status_display()).lower()
        demand.set_current_language(campaign.get_current_language())  # the demand in the campaign's reading language
        when = f" ({demand.date})" if demand.date else ""
        subject = _("%(campaign)s: a demand %(status)s") % {"campaign": campaign.title, "status": status}
        headline = _("The demand “%(demand)s” is %(status)s%(when)s.") % {"demand": demand.text, "status": status, "when": when}
        return subject, headline, demand.evidence

    return _news_queue(campaign=campaign, key=f"notify:demand:{demand.pk}:{demand.status}", purpose="notification", news=news)


def _deadline_news(*, campaign: Campaign, deadline: dt.date, days: int) -> News:
    def news() -> tuple[str, str, str]:
        left = _("today") if days == 0 else ngettext("in %(days)d day", "in %(days)d days", days) % {"days": days}
        subject = _("%(campaign)s: the deadline is %(left)s") % {"campaign": campaign.title, "left": left}
        headline = _("The deadline of “%(campaign)s” is %(date)s, %(left)s.") % {
            "campaign": campaign.title,
            "date": date_format(deadline, "j E Y"),
            "left": left,
        }
        text = _(
            "Thank you for acting. If your branch, your colleagues or your friends have not acted yet, "
            "there is still time: pass the appeal on now."
        )
        return subject, headline, text

    return news


@transaction.atomic
def deadline_reminders_queue(*, today: dt.date | None = None) -> int:
    """Remind consenting supporters of active campaigns whose deadline is near; once per supporter and campaign."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.REMINDER_DAYS_BEFORE_DEADLINE)
    queued = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.ACTIVE, deadline__gte=today, deadline__lte=horizon):
        assert campaign.deadline is not None  # the filter says so
        queued += _news_queue(
            campaign=campaign,
            key=f"remind:deadline:{campaign.pk}",
            purpose="reminder",
            news=_deadline_news(campaign=campaign, deadline=campaign.deadline, days=(campaign.deadline - today).days),
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
