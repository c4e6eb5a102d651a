"""Writes about supporters: the people (often anonymous) who act in answer to campaigns."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Supporter


@transaction.atomic
def supporter_create(
    *, name: str = "", email: str = "", organisation: str = "", country: str = "", consent_updates: bool = False
) -> Supporter:
    """A supporter as they described themselves; consent to updates needs an address to send them to."""
    email = email.strip()
    if consent_updates and not email:
        raise ValidationError({"consent_updates": "Give an email address to receive updates."})
    return Supporter.objects.create(
        name=name.strip(),
        email=email,
        organisation=organisation.strip(),
        country=country,
        consent_updates=consent_updates,
        consented_at=timezone.now() if consent_updates else None,
    )
