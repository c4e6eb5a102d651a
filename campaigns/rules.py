"""Rules that forms, serializers and services all apply: written once here, so that they cannot disagree."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FUTURE_ACTION = _("That day has not come yet: record an action once it is done.")
FUTURE_RESPONSE = _("That day has not come yet.")
CONSENT_NEEDS_EMAIL = _("Give an email address to receive updates, or untick the box.")


def date_is_future(date: dt.date) -> bool:
    """Later than today anywhere on Earth: a supporter east of the server may already be on tomorrow."""
    return date > timezone.localdate() + dt.timedelta(days=1)


def consent_is_possible(*, consent_updates: bool, email: str) -> bool:
    """Updates are sent by email: consenting to them without an address means nothing."""
    return not consent_updates or bool(email.strip())
