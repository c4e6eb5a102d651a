"""Campaign totals, read from the pre-computed tallies: a fixed number of small queries however many actions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Sum

from ..models import ActionTally, Campaign, Target

D = ActionTally.Dimension


def _by_count(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def campaign_totals(*, campaign: Campaign) -> dict[str, Any]:
    """Actions and people, by kind, target (name), channel kind, country (code) and day (ISO date); two queries.

    by_* map a key to its number of actions, largest first (by_day: oldest day first). `countries` is
    how many countries actions came from; `people` sums how many people each action speaks for.
    """
    rows = (
        ActionTally.objects.filter(campaign=campaign)
        .values("dimension", "key")
        .annotate(n=Sum("actions"), p=Sum("people"))
        .order_by()
    )
    found: dict[str, dict[str, int]] = {d: {} for d in D.values}
    people = 0
    for row in rows:
        if not row["n"]:
            continue
        found[row["dimension"]][row["key"]] = row["n"]
        if row["dimension"] == D.ALL:
            people = row["p"] or 0
    names = dict(Target.objects.filter(campaign=campaign, pk__in=[int(k) for k in found[D.TARGET]]).values_list("pk", "name"))
    by_country = {k: n for k, n in found[D.COUNTRY].items() if k}
    return {
        "actions": found[D.ALL].get("", 0),
        "people": people,
        "by_kind": _by_count(found[D.KIND]),
        "by_target": _by_count({names[int(k)]: n for k, n in found[D.TARGET].items() if int(k) in names}),
        "by_target_id": {int(k): n for k, n in found[D.TARGET].items() if int(k) in names},
        "by_channel": _by_count({k: n for k, n in found[D.CHANNEL].items() if k}),
        "by_country": _by_count(by_country),
        "countries": len(by_country),
        "by_day": dict(sorted(found[D.DAY].items())),
        "by_source": _by_count(found[D.SOURCE]),
    }


def campaigns_totals(*, campaigns: Iterable[Campaign]) -> dict[int, dict[str, Any]]:
    """For a list page: each campaign's actions, people and countries reached, in one query."""
    ids = [c.pk for c in campaigns]
    totals = {pk: {"actions": 0, "people": 0, "countries": 0} for pk in ids}
    rows = (
        ActionTally.objects.filter(campaign_id__in=ids, dimension__in=[D.ALL, D.COUNTRY])
        .values("campaign_id", "dimension", "key")
        .annotate(n=Sum("actions"), p=Sum("people"))
        .order_by()
    )
    for row in rows:
        if not row["n"]:
            continue
        entry = totals[row["campaign_id"]]
        if row["dimension"] == D.ALL:
            entry["actions"], entry["people"] = row["n"], row["p"] or 0
        elif row["key"]:
            entry["countries"] += 1
    return totals
