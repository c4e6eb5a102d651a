"""The ways a supporter can act on a campaign's targets, from what is known: one registry, used by the pages.

A way is offered only when it can work: the platform sends e-mail to a known address and faxes to a
known number (when a fax gateway is configured); a call needs a known phone number; a letter can
always be printed. The primary way is the first of e-mail, fax, letter (when a postal address or a fax
number is known), call, and finally the letter anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import Action, Channel, Target
from ..services.fax import fax_enabled
from .campaigns import channels_known


@dataclass(frozen=True)
class WayKind:
    key: str
    channel: str  # the channel kind it needs; "" when none is needed
    sends: bool  # the platform sends it (else the supporter does, then tells us)
    action_kind: str


WAYS: dict[str, WayKind] = {
    w.key: w
    for w in (
        WayKind("email", Channel.Kind.EMAIL, True, Action.Kind.EMAIL),
        WayKind("fax", Channel.Kind.FAX, True, Action.Kind.FAX),
        WayKind("print", "", False, Action.Kind.LETTER),
        WayKind("call", Channel.Kind.PHONE, False, Action.Kind.CALL),
        WayKind("mail-app", Channel.Kind.EMAIL, False, Action.Kind.EMAIL),
    )
}


def names_list(names: Sequence[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


@dataclass(frozen=True)
class Way:
    kind: WayKind
    targets: list[Target] = field(default_factory=list)  # the chosen targets it reaches
    primary: bool = False

    @property
    def key(self) -> str:
        return self.kind.key

    @property
    def label(self) -> str:
        """What the button will do, in the supporter's words."""
        names = names_list([t.name for t in self.targets])
        if self.key == "email":
            return _("Send my e-mail to %(names)s") % {"names": names}
        if self.key == "fax":
            return _("Send my fax to %(names)s") % {"names": names}
        if self.key == "call":
            return _("Call %(names)s") % {"names": names}
        if self.key == "mail-app":
            return _("Write it from my own e-mail")
        return _("Print my letter")

    @property
    def help(self) -> str:
        if self.key == "email":
            return _("We send it from this site now; replies go to your e-mail if you give one.")
        if self.key == "fax":
            return _("We fax it from this site now, as a letter with your name.")
        if self.key == "call":
            return _("A short script and the number to call, then tell us how it went.")
        if self.key == "mail-app":
            return _("Opens your e-mail app, Gmail or Outlook with everything filled in.")
        return _("A PDF letter to fax, post or hand in, with the address and your name.")


def ways_for(*, targets: Sequence[Target]) -> list[Way]:
    """The ways that can work for these targets, primary first; never one whose address is unknown or masked."""
    reached = {
        kind.key: list({t.pk: t for t, _c in channels_known(targets=targets, kind=kind.channel)}.values())
        for kind in WAYS.values()
        if kind.channel
    }
    fax_on = fax_enabled()
    available: list[Way] = []
    for kind in WAYS.values():
        if kind.key == "print":
            available.append(Way(kind, list(targets)))
        elif reached[kind.key] and (kind.key != "fax" or fax_on):
            available.append(Way(kind, reached[kind.key]))
    has_letter_address = bool(channels_known(targets=targets, kind=Channel.Kind.POSTAL) or reached["fax"])
    order = ["email", "fax"] + (["print"] if has_letter_address else []) + ["call", "print"]
    keys = [w.key for w in available]
    primary_key = next(key for key in order if key in keys)
    primary = next(w for w in available if w.key == primary_key)
    rest = [w for w in available if w.key != primary_key]
    return [Way(primary.kind, primary.targets, primary=True), *rest]


def way_for(*, targets: Sequence[Target], key: str) -> Way | None:
    """The way `key` if it can work for these targets."""
    return next((w for w in ways_for(targets=targets) if w.key == key), None)
