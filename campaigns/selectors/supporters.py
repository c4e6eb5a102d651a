"""Reads about supporters."""

from __future__ import annotations

from ..models import Supporter


def supporter_by_unsubscribe_token(*, token: str) -> Supporter | None:
    return Supporter.objects.filter(unsubscribe_token=token).first()
