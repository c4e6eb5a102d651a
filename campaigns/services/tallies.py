"""Writes to the pre-computed totals (ActionTally): one increment per new action, and a full rebuild for repair."""

from __future__ import annotations

import random
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import Count, Sum

from ..models import Action, ActionTally, Campaign, Channel, Target

D = ActionTally.Dimension


def _tally_keys(*, action: Action, targets: Sequence[Target], channel: Channel | None) -> list[tuple[str, str]]:
    keys = [
        (D.ALL.value, ""),
        (D.KIND.value, action.kind),
        (D.CHANNEL.value, channel.kind if channel else ""),
        (D.COUNTRY.value, str(action.country or "")),
        (D.DAY.value, action.date.isoformat()),
    ]
    # Sorted, so two transactions lock the rows of one shard in the same order and cannot deadlock.
    keys += [(D.TARGET.value, str(pk)) for pk in sorted({t.pk for t in targets})]
    if action.source:
        keys.append((D.SOURCE.value, action.source))
    return keys


def action_tally_add(*, action: Action, targets: Sequence[Target], channel: Channel | None) -> None:
    """Count a new action, in the caller's transaction: one statement upserting a row per dimension.

    The shard is random, so concurrent actions on one campaign mostly touch different rows and the
    row locks they hold until commit rarely make them wait for each other. INSERT ... ON CONFLICT DO
    UPDATE adds atomically on PostgreSQL and SQLite alike (the ORM's upsert can only overwrite).
    """
    shard = random.randrange(ActionTally.SHARDS)  # noqa: S311 - spreads writes; nothing secret
    keys = _tally_keys(action=action, targets=targets, channel=channel)
    quote = connection.ops.quote_name
    table = quote(ActionTally._meta.db_table)
    columns = ", ".join(quote(c) for c in ("campaign_id", "dimension", "key", "shard", "actions", "people"))
    conflict = ", ".join(quote(c) for c in ("campaign_id", "dimension", "key", "shard"))
    values = ", ".join(["(%s, %s, %s, %s, 1, %s)"] * len(keys))
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {values} "  # noqa: S608 - names are ours, values are parameters
        f"ON CONFLICT ({conflict}) DO UPDATE SET "
        f"{quote('actions')} = {table}.{quote('actions')} + excluded.{quote('actions')}, "
        f"{quote('people')} = {table}.{quote('people')} + excluded.{quote('people')}"
    )
    params: list[int | str] = []
    for dimension, key in keys:
        params += [action.campaign_id, dimension, key, shard, action.represents]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@transaction.atomic
def action_tallies_rebuild(*, campaign: Campaign) -> int:
    """Recompute a campaign's totals from its actions; returns the number of actions counted.

    Locking the campaign row FOR UPDATE waits for transactions that are inserting actions (each holds
    a key-share lock on it through the foreign key) and holds new ones off until the rebuild commits,
    so no action is missed or counted twice. The rows written are unsharded (shard 0).
    """
    list(Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk"))
    ActionTally.objects.filter(campaign=campaign).delete()
    actions = Action.objects.filter(campaign=campaign).order_by()
    tallies: list[ActionTally] = []

    def add(dimension: str, key: object, n: int, people: int | None) -> None:
        tallies.append(
            ActionTally(campaign=campaign, dimension=dimension, key=str(key or ""), shard=0, actions=n, people=people or 0)
        )

    overall = actions.aggregate(n=Count("id"), people=Sum("represents"))
    if not overall["n"]:
        return 0
    add(D.ALL, "", overall["n"], overall["people"])
    dimensions = ((D.KIND, "kind"), (D.CHANNEL, "channel__kind"), (D.COUNTRY, "country"), (D.DAY, "date"), (D.SOURCE, "source"))
    for dimension, field in dimensions:
        for row in actions.values(field).annotate(n=Count("id"), people=Sum("represents")):
            key = row[field].isoformat() if dimension == D.DAY else row[field]
            if dimension == D.SOURCE and not key:
                continue
            add(dimension, key, row["n"], row["people"])
    through = Action.targets.through.objects.filter(action__campaign=campaign).order_by()
    for row in through.values("target_id").annotate(n=Count("id"), people=Sum("action__represents")):
        add(D.TARGET, row["target_id"], row["n"], row["people"])
    ActionTally.objects.bulk_create(tallies, batch_size=1000)
    return int(overall["n"])
