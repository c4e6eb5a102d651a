"""Validation and normalisation of a contact channel's value, by kind."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from .kinds import NUMBER_KINDS, ChannelKind
from .phones import to_e164


def channel_normalise(*, kind: str, value: str | None, masked: bool, default_region: str | None = None) -> tuple[str, str]:
    """Return (value as written, E.164 or '') for a channel, or raise ValidationError keyed by field.

    A masked channel is one known to exist whose value was lost: it must carry no value, so that
    nothing can ever be sent to an invented address.
    """
    value = (value or "").strip()
    if masked:
        if value:
            raise ValidationError({"value": "A masked channel has no value: clear it, or untick masked."})
        return "", ""
    if not value:
        raise ValidationError({"value": "Enter the address or number, or mark the channel as masked (known but lost)."})
    if kind in NUMBER_KINDS:
        try:
            return value, to_e164(value, default_region=default_region or None)
        except ValidationError as exc:
            raise ValidationError({"value": exc.messages}) from exc
    if kind == ChannelKind.EMAIL:
        try:
            validate_email(value)
        except ValidationError as exc:
            raise ValidationError({"value": f"{value!r} is not a valid email address."}) from exc
    elif kind == ChannelKind.WEB:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError as exc:
            raise ValidationError({"value": f"{value!r} is not a web address (http:// or https://)."}) from exc
    return value, ""
