"""Writes about organisers: accounts that run an organisation's campaigns."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from ..models import Membership, Organisation

ORGANISERS_GROUP = "organisers"
# What an organiser may do in the admin; the admin further limits it to their organisations' campaigns.
ORGANISER_PERMISSIONS = {
    "campaign": ("add", "change", "view"),
    "campaignstatuschange": ("view",),  # histories are written by their services, never edited
    "campaignorganisation": ("add", "change", "delete", "view"),
    "target": ("add", "change", "delete", "view"),
    "channel": ("add", "change", "delete", "view"),
    "demand": ("add", "change", "delete", "view"),
    "person": ("add", "change", "delete", "view"),
    "personstatuschange": ("view",),
    "event": ("add", "change", "delete", "view"),
    "update": ("add", "change", "delete", "view"),
    "source": ("add", "change", "delete", "view"),
    "action": ("add", "change", "view"),
    "signatory": ("add", "change", "delete", "view"),
    "response": ("add", "change", "delete", "view"),
    "delivery": ("view",),
    "organisation": ("add", "view"),
}


def organisers_group() -> Group:
    group, _ = Group.objects.get_or_create(name=ORGANISERS_GROUP)
    wanted = [f"{verb}_{model}" for model, verbs in ORGANISER_PERMISSIONS.items() for verb in verbs]
    group.permissions.set(Permission.objects.filter(content_type__app_label="campaigns", codename__in=wanted))
    return group


@transaction.atomic
def organiser_create(*, username: str, password: str, organisation: Organisation, email: str = "") -> User:
    """Create (or update) an organiser account that may run `organisation`'s campaigns in the admin."""
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=username, defaults={"email": email})
    user.is_staff = True
    if email:
        user.email = email
    user.set_password(password)
    user.save()
    user.groups.add(organisers_group())
    Membership.objects.get_or_create(user=user, organisation=organisation)
    return user
