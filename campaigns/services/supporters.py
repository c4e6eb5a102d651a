"""Writes about supporters: the people (often anonymous) who act on campaigns, and their consent to news.

Nothing a supporter submits ever changes, reveals or re-subscribes a supporter already stored: anyone can
type anyone's e-mail address. Each new action gets its own Supporter row; consent to news is given only
by following the link the platform e-mails to the address (double opt-in).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..languages import language_normalise
from ..models import Campaign, Supporter
from ..rules import CONSENT_NEEDS_EMAIL, consent_is_possible
from .delivery import delivery_queue

CONSENT_SALT = "campaigns.supporters.consent"
CONSENT_MAX_AGE = dt.timedelta(days=14)


def email_normalise(email: str) -> str:
    """Trim and lower-case the domain; the local part is the mailbox owner's business."""
    email = email.strip()
    local, at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}" if at else email


@dataclass(frozen=True)
class SupporterDetails:
    """What a supporter told us about themselves with one action; all optional."""

    name: str = ""
    email: str = ""
    organisation: str = ""
    country: str = ""
    consent_updates: bool = False
    language: str = ""  # the language they act in: their news and reminders are sent in it

    def normalised(self) -> SupporterDetails:
        return replace(
            self,
            name=self.name.strip(),
            email=email_normalise(self.email),
            organisation=self.organisation.strip(),
            country=(self.country or "").strip(),
            language=language_normalise(self.language),
        )

    @property
    def empty(self) -> bool:
        return not (self.name or self.email or self.organisation or self.country)


def supporter_details_clean(
    *,
    name: str = "",
    email: str = "",
    organisation: str = "",
    country: str = "",
    consent_updates: bool = False,
    language: str = "",
) -> SupporterDetails | None:
    """The details as given, normalised; None when they told us nothing. Consent needs an address."""
    details = SupporterDetails(name, email, organisation, country or "", consent_updates, language or "").normalised()
    if not consent_is_possible(consent_updates=details.consent_updates, email=details.email):
        raise ValidationError({"email": CONSENT_NEEDS_EMAIL})
    return None if details.empty else details


def supporter_create(*, details: SupporterDetails) -> Supporter:
    """A new row for one action's supporter. Consent starts off: it waits for the e-mailed confirmation."""
    return Supporter.objects.create(
        name=details.name,
        email=details.email,
        organisation=details.organisation,
        country=details.country,
        language=details.language,
    )


def consent_token(*, supporter: Supporter, campaign: Campaign) -> str:
    return signing.dumps({"s": supporter.pk, "c": campaign.pk}, salt=CONSENT_SALT)


def supporter_consent_request(*, supporter: Supporter, campaign: Campaign) -> None:
    """E-mail the address a link to confirm it wants the campaign's news; at most one a day per address and campaign.

    Sent whether or not the address acted before, so the sender learns nothing; only the mailbox's owner can confirm.
    """
    if not supporter.email:
        return
    day = timezone.localdate().isoformat()
    key = "consent:" + hashlib.sha256(f"{campaign.pk}\x1f{supporter.email.lower()}\x1f{day}".encode()).hexdigest()
    url = settings.SITE_URL + reverse("campaigns:consent_confirm", args=[consent_token(supporter=supporter, campaign=campaign)])
    body = render_to_string(
        "campaigns/email/consent_confirm.txt",
        {"campaign": campaign, "confirm_url": url, "days": CONSENT_MAX_AGE.days},
    )
    delivery_queue(
        to=[supporter.email],
        subject=_("Confirm: news about %(title)s") % {"title": campaign.title},
        body=body,
        campaign=campaign,
        purpose="confirmation",
        dedupe_key=key,
    )


def consent_token_load(*, token: str) -> tuple[Supporter, Campaign] | None:
    """The supporter and campaign a confirmation link is for, or None when it is forged, expired or gone."""
    try:
        data = signing.loads(token, salt=CONSENT_SALT, max_age=CONSENT_MAX_AGE)
    except signing.BadSignature:
        return None
    supporter = Supporter.objects.filter(pk=data.get("s"), actions__campaign_id=data.get("c")).exclude(email="").first()
    campaign = Campaign.objects.filter(pk=data.get("c")).first()
    if supporter is None or campaign is None:
        return None
    return supporter, campaign


@transaction.atomic
def supporter_consent_confirm(*, supporter: Supporter) -> None:
    """The mailbox's owner followed the link: news for this row from now on (the time is kept)."""
    Supporter.objects.filter(pk=supporter.pk, consent_updates=False).update(consent_updates=True, consented_at=timezone.now())
