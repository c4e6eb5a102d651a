"""Writes about supporters: the people (often anonymous) who act on campaigns."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Campaign, Supporter


def email_normalise(email: str) -> str:
    """Trim and lower-case the domain; the local part is the mailbox owner's business."""
    email = email.strip()
    local, at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}" if at else email


@transaction.atomic
def supporter_for_action(
    *,
    campaign: Campaign,
    name: str = "",
    email: str = "",
    organisation: str = "",
    country: str = "",
    consent_updates: bool = False,
) -> Supporter | None:
    """Who is acting: None when they told us nothing, else a Supporter row.

    With an email, the supporter who already acted on this campaign with it is reused (and brought up
    to date), so their actions are theirs. Rows are never shared across campaigns: what someone told
    one organisation is not shown to another's organisers.
    """
    name, organisation, country, email = name.strip(), organisation.strip(), country.strip(), email_normalise(email)
    if consent_updates and not email:
        raise ValidationError({"email": "Give an email address to receive updates, or untick the box."})
    if not (name or email or organisation or country):
        return None
    supporter = None
    if email:
        supporter = Supporter.objects.filter(email=email, actions__campaign=campaign).order_by("pk").first()
    if supporter is None:
        supporter = Supporter(email=email)
    for field, value in (("name", name), ("organisation", organisation), ("country", country)):
        if value:
            setattr(supporter, field, value)
    if consent_updates and not supporter.consent_updates:
        supporter.consent_updates, supporter.consented_at = True, timezone.now()
    supporter.save()
    return supporter
