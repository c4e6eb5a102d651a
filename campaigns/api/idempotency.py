"""The Idempotency-Key header: a POST retried with the same key and body is answered as before, and writes once."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from ..services.api import IdempotencyKeyMismatch, idempotent_call
from .errors import IdempotencyKeyReused

HEADER = "Idempotency-Key"

PARAMETER = OpenApiParameter(
    name=HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string (a UUID is best), 1-255 printable ASCII characters. A retry with the same key and "
        "body gets the first answer again (with `Idempotent-Replayed: true`) and records nothing twice; the "
        "same key with another body is refused with 422. Keys are remembered for 24 hours."
    ),
)


def _valid_key(key: str) -> bool:
    return 1 <= len(key) <= 255 and key.isascii() and key.isprintable()


def idempotent(request: Request, perform: Callable[[], Response]) -> Response:
    """Run `perform` (which writes, and raises on bad input) in one transaction, once per Idempotency-Key."""
    key = request.headers.get(HEADER)
    if key is None:
        with transaction.atomic():
            return perform()
    key = key.strip()
    if not _valid_key(key):
        raise ValidationError({HEADER: [_("Use 1 to 255 printable ASCII characters, e.g. a UUID.")]})
    scope = f"user:{request.user.pk}" if request.user.is_authenticated else "anonymous"
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    fingerprint = hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()

    def run() -> tuple[int, object]:
        response = perform()
        return response.status_code, response.data

    try:
        status_code, data, replayed = idempotent_call(scope=scope, key=key, fingerprint=fingerprint, perform=run)
    except IdempotencyKeyMismatch:
        raise IdempotencyKeyReused() from None
    response = Response(data, status=status_code)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response
