"""What a campaign's supporters have done, counted: the figures organisers and the public see."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from ..models import Action, Campaign, Target


def campaign_totals(*, campaign: Campaign) -> dict:
    """A plain dict:

    - actions: how many actions were recorded;
    - represents: how many people they speak for (the sum of each action's `represents`);
    - countries: from how many countries actions were taken;
    - by_kind: {kind: number of actions}, only the kinds that occur;
    - by_target: [{"id", "name", "role", "actions"}] for every target and copy-to recipient, in the campaign's order.
    """
    actions = Action.objects.filter(campaign=campaign).order_by()
    figures = actions.aggregate(
        actions=Count("id"),
        represents=Sum("represents"),
        countries=Count("country", distinct=True, filter=~Q(country="")),
    )
    by_kind = dict(actions.values_list("kind").annotate(count=Count("id")).order_by("kind"))
    by_target = [
        {"id": t["id"], "name": t["name"], "role": t["role"], "actions": t["action_count"]}
        for t in Target.objects.filter(campaign=campaign)
        .annotate(action_count=Count("actions"))
        .order_by("role", "position", "id")
        .values("id", "name", "role", "action_count")
    ]
    return {
        "actions": figures["actions"],
        "represents": figures["represents"] or 0,
        "countries": figures["countries"],
        "by_kind": by_kind,
        "by_target": by_target,
    }
