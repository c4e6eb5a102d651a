"""Bounds on what clients without an account may write."""

from __future__ import annotations

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import AnonRateThrottle


class SupporterActionThrottle(AnonRateThrottle):
    """Anonymous POSTs of actions, per client address, counted in the cache.

    The rate is read from settings.API_SUPPORTER_ACTIONS_RATE when the throttle is made (once per request).
    """

    scope = "supporter_actions"

    def get_rate(self) -> str:
        return settings.API_SUPPORTER_ACTIONS_RATE

    def allow_request(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
