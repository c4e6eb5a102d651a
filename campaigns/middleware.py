"""Graceful overload at intake: past a fixed number of actions being recorded at once, answer 503 at once.

A viral campaign can send more actions than the database can record. Queued behind each other, they
would all slow down until clients time out, some after their action was recorded (recorded but never
answered) and others before (answered by nobody). Instead each process records at most
INTAKE_MAX_CONCURRENT actions at a time and answers the rest `503 Service Unavailable` with
`Retry-After` within milliseconds, having written nothing: a client (or the form, resubmitted) tries
again, and with the same Idempotency-Key or form id a retry still counts once.

The limit is per process: it sheds with a threaded server (gunicorn --worker-class gthread --threads N),
whose threads accept more requests than the limit lets through. With sync workers each process serves
one request at a time, so the limit (when at least 1) never bites and the listen backlog queues instead.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _

# The views that record actions, by URL name.
INTAKE_VIEWS = frozenset(
    {"api:action-list", "api:osdi-record-outreach", "campaigns:act", "campaigns:act_done", "campaigns:record"}
)
BUSY = _("Too many actions are being recorded right now: nothing was recorded; please try again in a moment.")


class IntakeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        limit = settings.INTAKE_MAX_CONCURRENT
        self.slots = threading.BoundedSemaphore(limit) if limit > 0 else None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            if getattr(request, "_intake_slot", False) and self.slots is not None:
                self.slots.release()

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if self.slots is None or request.method != "POST" or request.resolver_match is None:
            return None
        if request.resolver_match.view_name not in INTAKE_VIEWS:
            return None
        if not self.slots.acquire(blocking=False):
            return _busy(request)
        request._intake_slot = True  # type: ignore[attr-defined]
        return None


def _busy(request: HttpRequest) -> HttpResponse:
    retry_after = str(settings.INTAKE_RETRY_AFTER_SECONDS)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": BUSY}, status=503)
    else:
        response = HttpResponse(f"<!doctype html><title>{_('Busy')}</title><p>{BUSY}</p>", status=503)
    response["Retry-After"] = retry_after
    return response
