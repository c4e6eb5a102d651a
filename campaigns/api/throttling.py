"""Bounds on what clients without an account may write: actions, per address and per campaign."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import BaseThrottle

from ..services.limits import action_limits_allow, client_address


class SupporterActionThrottle(BaseThrottle):
    """Anonymous POSTs of actions: API_SUPPORTER_ACTIONS_RATE per address and ACTIONS_RATE_PER_CAMPAIGN per
    campaign, counted atomically in Redis or the database and shared with the public forms."""

    def allow_request(self, request, view) -> bool:
        if request.method in SAFE_METHODS or request.user.is_authenticated:
            return True
        campaign = view.kwargs.get("slug")
        if campaign is None:
            data = request.data if isinstance(request.data, dict) else {}
            campaign = data.get("campaign")
        campaign_key = campaign if isinstance(campaign, str) and len(campaign) <= 100 else "?"
        return action_limits_allow(address=client_address(request.META), campaign_key=campaign_key)

    def wait(self) -> float | None:
        return 60.0
