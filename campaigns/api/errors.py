"""Every API error is JSON: {"field": ["message"]} for bad input, {"detail": "..."} otherwise; never an HTML page."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from ..documents.validation import DocumentError


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used with a different request; use a new key for a new request.")
    default_code = "idempotency_key_reused"


def exception_handler(exc, context):
    """DRF's handler, also turning our services' and documents' errors into 400s with field paths."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, DocumentError):
        exc = exceptions.ValidationError(detail={exc.path or "non_field_errors": [exc.message]})
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    return response
