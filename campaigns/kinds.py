"""The one registry of channel kinds and action kinds: every other module reads what it knows about a kind from here.

Adding a channel kind is a member of `ChannelKind`, its `ChannelSpec` in `CHANNELS`, a migration (the
field's choices) and tests; adding an action kind is the same with `ActionKind` and `ACTIONS`. Models
(choices and constraints), services (the action a way makes), the extractor
(which kinds are numbers), the API and OSDI (outreach types) and the templates (the link a channel
makes) all derive from these tables. This module imports no models, so the `appeals/` library can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ChannelKind(TextChoices):
    EMAIL = "email", _("Email")
    FAX = "fax", _("Fax")
    PHONE = "phone", _("Phone")
    POSTAL = "postal", _("Postal")
    WEB = "web", _("web form")
    SOCIAL = "social", _("Social")


class ActionKind(TextChoices):
    EMAIL = "email", _("Email")
    FAX = "fax", _("Fax")
    LETTER = "letter", _("Letter")
    CALL = "call", _("phone call")
    SOCIAL = "social", _("social post")
    PETITION = "petition", _("Petition")
    RALLY = "rally", _("rally or picket")
    MOTION = "motion", _("Motion")
    DONATION = "donation", _("Donation")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other")


Link = Literal["mailto", "tel", "web", "copy"]  # copy: a number to copy into a fax machine or service


@dataclass(frozen=True)
class ChannelSpec:
    action: ActionKind  # the kind of action reaching a target this way makes
    number: bool = False  # a phone or fax number: normalised to E.164
    link: Link | None = None  # what a page links the value to; None: shown as text
    sendable: bool = False  # the platform itself can send a message this way


@dataclass(frozen=True)
class ActionSpec:
    a: str | Promise  # the kind in a sentence, with its article: "a fax from Germany, 3 minutes ago"
    osdi_type: str | None = None  # OSDI outreach `type`; None: our own kind is the type
    from_osdi: bool = True  # whether that OSDI type reads back as this kind (one kind per type)


CHANNELS: dict[ChannelKind, ChannelSpec] = {
    ChannelKind.EMAIL: ChannelSpec(action=ActionKind.EMAIL, link="mailto", sendable=True),
    ChannelKind.FAX: ChannelSpec(action=ActionKind.FAX, number=True, link="copy", sendable=True),
    ChannelKind.PHONE: ChannelSpec(action=ActionKind.CALL, number=True, link="tel"),
    ChannelKind.POSTAL: ChannelSpec(action=ActionKind.LETTER),
    ChannelKind.WEB: ChannelSpec(action=ActionKind.OTHER, link="web"),
    ChannelKind.SOCIAL: ChannelSpec(action=ActionKind.SOCIAL),
}

ACTIONS: dict[ActionKind, ActionSpec] = {
    ActionKind.EMAIL: ActionSpec(a=_("an e-mail"), osdi_type="email"),
    ActionKind.FAX: ActionSpec(a=_("a fax")),
    ActionKind.LETTER: ActionSpec(a=_("a letter"), osdi_type="postal mail"),
    ActionKind.CALL: ActionSpec(a=_("a phone call"), osdi_type="phone"),
    ActionKind.SOCIAL: ActionSpec(a=_("a social post")),
    ActionKind.PETITION: ActionSpec(a=_("a petition")),
    ActionKind.RALLY: ActionSpec(a=_("a rally or picket"), osdi_type="in-person", from_osdi=False),
    ActionKind.MOTION: ActionSpec(a=_("a motion")),
    ActionKind.DONATION: ActionSpec(a=_("a donation")),
    ActionKind.MEETING: ActionSpec(a=_("a meeting"), osdi_type="in-person"),
    ActionKind.OTHER: ActionSpec(a=_("an action")),
}

# Other spellings of OSDI types that clients send.
OSDI_TYPE_ALIASES: dict[str, str] = {"postal": "postal mail"}

if set(CHANNELS) != set(ChannelKind) or set(ACTIONS) != set(ActionKind):
    raise ImportError("campaigns.kinds: every kind needs exactly one spec")  # fail at import, not at the first page

# Derived: read these, never re-type them elsewhere.
NUMBER_KINDS: tuple[ChannelKind, ...] = tuple(kind for kind, spec in CHANNELS.items() if spec.number)
KIND_FOR_CHANNEL: dict[str, str] = {kind: spec.action for kind, spec in CHANNELS.items()}
SENDABLE_WAYS: tuple[ChannelKind, ...] = tuple(kind for kind, spec in CHANNELS.items() if spec.sendable)
OUTREACH_TYPES: dict[str, str] = {kind: spec.osdi_type for kind, spec in ACTIONS.items() if spec.osdi_type}
_FROM_OSDI: dict[str, str] = {spec.osdi_type: kind for kind, spec in ACTIONS.items() if spec.osdi_type and spec.from_osdi}
KINDS_FROM_TYPE: dict[str, str] = _FROM_OSDI | {alias: _FROM_OSDI[to] for alias, to in OSDI_TYPE_ALIASES.items()}


def channel_is_number(kind: str) -> bool:
    return kind in NUMBER_KINDS


def channel_link(*, kind: str, value: str, e164: str = "") -> tuple[str, bool]:
    """The link a channel's value makes on a page (mailto:, tel:, the web form's address) and whether it leaves
    the site (so pages mark it nofollow); ('', False) for a value shown as plain text."""
    spec = CHANNELS[ChannelKind(kind)] if kind in ChannelKind.values else None
    if spec is None or spec.link is None or not value:
        return "", False
    if spec.link == "mailto":
        return f"mailto:{value}", False
    if spec.link == "tel":
        return f"tel:{e164 or value}", False
    if spec.link == "web":
        return value, True
    return "", False  # copy: shown for copying, not a link
