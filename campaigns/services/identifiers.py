"""What other systems call the things they send us (OSDI `identifiers`, `origin_system`), kept so they find them again."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from ..models import Action, ExternalIdentifier, Supporter

OUR_SYSTEM = "solidarity_action_tracker"  # our own identifiers are "solidarity_action_tracker:<id>": never stored


def identifiers_foreign(identifiers: Iterable[str]) -> list[str]:
    """The identifiers worth keeping: `system:id`, not ours, each once, in the order given."""
    kept: dict[str, None] = {}
    for value in identifiers:
        value = value.strip()
        system, _, local = value.partition(":")
        if system and local and system != OUR_SYSTEM:
            kept[value] = None
    return list(kept)


@transaction.atomic
def external_identifiers_add(
    *, identifiers: Iterable[str], supporter: Supporter | None = None, action: Action | None = None
) -> list[str]:
    """Keep another system's identifiers for one supporter or one action; those already kept are left as they are."""
    if (supporter is None) == (action is None):
        raise ValueError("external identifiers belong to exactly one supporter or one action")
    values = identifiers_foreign(identifiers)
    for value in values:
        ExternalIdentifier.objects.get_or_create(value=value, supporter=supporter, action=action)
    return values


@transaction.atomic
def action_provenance_set(*, action: Action, origin_system: str = "", identifiers: Iterable[str] = ()) -> None:
    """Where an action recorded through the API came from: the client's system name and its identifiers for it."""
    origin_system = origin_system.strip()[:200]
    if origin_system and origin_system != action.origin_system:
        Action.objects.filter(pk=action.pk).update(origin_system=origin_system)
        action.origin_system = origin_system
    external_identifiers_add(identifiers=identifiers, action=action)
