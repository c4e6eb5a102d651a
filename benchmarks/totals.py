"""Benchmark: campaign totals, the campaign page and the dashboard over a campaign with many actions.

Loads N actions into a throw-away campaign (COPY on PostgreSQL, bulk inserts elsewhere), recounts
its tallies, records some actions the normal way (which write sharded tally rows), then prints the
query count and timings of each page. It measures; it asserts nothing.

    DATABASE_URL=postgres://.../db .venv/bin/python benchmarks/totals.py --actions 1000000

The campaign (slug `benchmark-totals`) and everything it owns is deleted at the end unless --keep.
Run it against a database you may fill, never production: it needs the migrations applied.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

from django.db import connection, connections, transaction
from django.db.models import Count, Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse

from campaigns import models as m
from campaigns.selectors.totals import campaign_totals
from campaigns.services.actions import action_record
from campaigns.services.organisers import organiser_create
from campaigns.services.tallies import action_tallies_rebuild

SLUG = "benchmark-totals"
# Weighted like a real campaign: mostly emails, from a few countries more than others.
KINDS = ["email"] * 50 + ["fax"] * 15 + ["letter"] * 10 + ["call"] * 6 + ["social"] * 6 + ["petition"] * 5
KINDS += ["rally", "motion", "donation", "meeting", "other"] * 2
COUNTRIES = ["GB", "DE", "FR", "KZ", "RU", "US", "BR", "ZA", "IN", "JP", "AU", "NL", "SE", "NO", "IT", "ES", "PL"] * 3
COUNTRIES += ["AR", "BE", "CA", "CH", "CL", "CO", "CZ", "DK", "EG", "FI", "GR", "HU", "ID", "IE", "IL", "KE", "MX", "MY"]
COUNTRIES += ["NZ", "PH", "PK", "PT", "RO", "SG", "TH", "UA", "VN", "TR", "KR", "NG", ""]


def setup(n_supporters: int) -> tuple[m.Campaign, list[m.Target], dict[str, m.Channel], list[int]]:
    cleanup()
    owner, _ = m.Organisation.objects.get_or_create(name="Benchmark Federation")
    campaign = m.Campaign.objects.create(slug=SLUG, title="Benchmark campaign", status="active", owner=owner, country="KZ")
    targets = [m.Target.objects.create(campaign=campaign, name=f"Target {i}", position=i) for i in range(3)]
    channels = {
        "email": m.Channel.objects.create(target=targets[0], kind="email", value="ceo@company.example"),
        "fax": m.Channel.objects.create(target=targets[0], kind="fax", value="+7 3102 768247", e164="+73102768247"),
    }
    m.Channel.objects.create(target=targets[1], kind="email", masked=True)
    for i in range(3):
        m.Demand.objects.create(campaign=campaign, text=f"Demand {i}")
        m.Person.objects.create(campaign=campaign, name=f"Person {i}")
    supporters = m.Supporter.objects.bulk_create(
        m.Supporter(name=f"Supporter {i}", email=f"bench{i}@example.net", country="GB") for i in range(n_supporters)
    )
    organiser_create(username="benchmark-organiser", password="benchmark-password-x", organisation=owner)
    return campaign, targets, channels, [s.pk for s in supporters]


def action_rows(campaign, channels, supporter_ids, n: int, rng: random.Random):
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC)
    for i in range(n):
        kind = rng.choice(KINDS)
        channel = channels.get(kind)
        represents = 1 if rng.random() < 0.97 else rng.choice([10, 40, 300, 5000])
        supporter = rng.choice(supporter_ids) if supporter_ids and rng.random() < 0.5 else None
        day = today - dt.timedelta(days=int(rng.expovariate(1 / 20)) % 365)
        created = now - dt.timedelta(seconds=n - i)
        yield (campaign.pk, kind, supporter, channel.pk if channel else None, day, "", "", "", "", represents, False,
               rng.choice(COUNTRIES), "recorded", created, "", "", False)  # fmt: skip


COLUMNS = ("campaign_id", "kind", "supporter_id", "channel_id", "date", "reference", "salutation", "subject", "text",
           "represents", "copies_sent", "country", "via", "created", "outcome", "source", "text_public")  # fmt: skip


def analyze(*models) -> None:
    """Fresh statistics, so the foreign-key checks PostgreSQL defers to COMMIT use the indexes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def load(campaign, targets, channels, supporter_ids, n: int, rng: random.Random) -> None:
    rows = action_rows(campaign, channels, supporter_ids, n, rng)
    action_table = m.Action._meta.db_table
    through = m.Action.targets.through
    analyze(m.Campaign, m.Supporter, m.Channel, m.Target, m.Action, through)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            copy_sql = f"COPY {action_table} ({', '.join(COLUMNS)}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            batch: list[m.Action] = []
            for row in rows:
                batch.append(m.Action(**dict(zip(COLUMNS, row, strict=True))))
                if len(batch) == 5000:
                    m.Action.objects.bulk_create(batch)
                    batch = []
            m.Action.objects.bulk_create(batch)
    analyze(m.Action)
    # Most actions go to the first target; one in ten to the second too; one in twenty to none.
    first, second = targets[0].pk, targets[1].pk
    with transaction.atomic(), connection.cursor() as cursor:
        for target, condition in ((first, "id %% 20 <> 0"), (second, "id %% 10 = 1")):
            cursor.execute(
                f"INSERT INTO {through._meta.db_table} (action_id, target_id) SELECT id, %s FROM {action_table} "
                f"WHERE campaign_id = %s AND {condition}",
                [target, campaign.pk],
            )
    analyze(through, m.ActionTally)


def timed(fn, repeat: int = 5) -> tuple[float, float, int, object]:
    """Median and 95th-percentile milliseconds over `repeat` runs (after one warm-up), the query count, the last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - start) * 1000)
    p95 = sorted(times)[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(queries), result


def count_from_actions(campaign) -> dict:
    """What the tallies spare every page view: grouping the actions themselves."""
    actions = m.Action.objects.filter(campaign=campaign).order_by()
    return {
        "all": actions.aggregate(n=Count("id"), p=Sum("represents")),
        "kind": list(actions.values("kind").annotate(n=Count("id"))),
        "country": list(actions.values("country").annotate(n=Count("id"))),
        "day": list(actions.values("date").annotate(n=Count("id"))),
        "channel": list(actions.values("channel__kind").annotate(n=Count("id"))),
        "target": list(
            m.Action.targets.through.objects.filter(action__campaign=campaign).values("target_id").annotate(n=Count("id"))
        ),
    }


def record_live(campaign, targets, channels, n: int, threads: int) -> float:
    """Record n actions through action_record from `threads` threads; returns actions per second."""
    kinds = ["email", "fax", "letter", "call"]
    per_thread = n // threads

    def work(offset: int) -> None:
        rng = random.Random(offset)
        try:
            for i in range(per_thread):
                kind = rng.choice(kinds)
                action_record(
                    campaign=campaign,
                    kind=kind,
                    targets=[targets[0]],
                    channel=channels.get(kind),
                    country=rng.choice(COUNTRIES[:20]),
                    submission=f"live-{threads}-{offset}-{i}",
                )
        finally:
            connections.close_all()

    start = time.perf_counter()
    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return per_thread * threads / (time.perf_counter() - start)


def cleanup() -> None:
    """Delete the benchmark campaign with set-based SQL (the ORM would load a million rows to cascade)."""
    campaign = m.Campaign.objects.filter(slug=SLUG).first()
    if campaign is None:
        return
    action_table = m.Action._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (m.Action.targets.through, m.Action.organisations.through, m.Signatory, m.Delivery, m.Response):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE action_id IN (SELECT id FROM {action_table} WHERE campaign_id = %s)",
                [campaign.pk],
            )
        cursor.execute(f"DELETE FROM {m.ActionTally._meta.db_table} WHERE campaign_id = %s", [campaign.pk])
        cursor.execute(f"DELETE FROM {action_table} WHERE campaign_id = %s", [campaign.pk])
        campaign.delete()
        m.Supporter.objects.filter(email__startswith="bench", email__endswith="@example.net", actions__isnull=True).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=100_000, help="actions to load (default 100,000)")
    parser.add_argument("--live", type=int, default=2_000, help="actions then recorded through action_record")
    parser.add_argument("--threads", type=int, default=4, help="threads recording the live actions")
    parser.add_argument("--supporters", type=int, default=5_000)
    parser.add_argument("--csv", action="store_true", help="also time the full CSV export")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark campaign afterwards")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each page (default 20)")
    args = parser.parse_args()
    setup_test_environment()
    rng = random.Random(42)
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")

    start = time.perf_counter()
    campaign, targets, channels, supporter_ids = setup(args.supporters)
    load(campaign, targets, channels, supporter_ids, args.actions, rng)
    print(f"loaded {args.actions:,} actions in {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    action_tallies_rebuild(campaign=campaign)
    print(f"rebuild_tallies (recount from the actions): {time.perf_counter() - start:.2f} s")

    threads = args.threads if connection.vendor == "postgresql" else 1  # SQLite has one writer at a time
    rate_one = record_live(campaign, targets, channels, args.live // 2, threads=1)
    rate_many = record_live(campaign, targets, channels, args.live // 2, threads=threads)
    print(f"action_record with tallies: {rate_one:,.0f} actions/s on 1 thread, {rate_many:,.0f} actions/s on {threads}")
    tally_rows = m.ActionTally.objects.filter(campaign=campaign).count()
    print(f"tally rows for the campaign: {tally_rows:,}")

    client = Client()
    organiser = m.Membership.objects.filter(organisation=campaign.owner).first().user
    client.force_login(organiser)
    results = [
        ("campaign_totals()", lambda: campaign_totals(campaign=campaign)),
        ("counting the actions instead", lambda: count_from_actions(campaign)),
        ("GET / (campaign list)", lambda: client.get(reverse("campaigns:list"))),
        ("GET campaign page", lambda: client.get(reverse("campaigns:campaign", args=[SLUG]))),
        ("GET totals fragment", lambda: client.get(reverse("campaigns:totals", args=[SLUG]))),
        ("GET dashboard", lambda: client.get(reverse("campaigns:dashboard", args=[SLUG]))),
        ("GET /api/v1/actions/ (anonymous)", lambda: anonymous.get("/api/v1/actions/")),
        ("GET /api/v1/actions/ (organiser)", lambda: client.get(f"/api/v1/actions/?campaign={SLUG}")),
        ("GET /api/v1/actions/ next page", lambda: anonymous.get(second_page)),
        ("GET OSDI advocacy_campaigns", lambda: anonymous.get("/api/osdi/v1/advocacy_campaigns")),
        ("GET OSDI advocacy campaign", lambda: anonymous.get(f"/api/osdi/v1/advocacy_campaigns/{SLUG}")),
    ]
    anonymous = Client()
    second_page = anonymous.get("/api/v1/actions/").json()["next"]
    print(f"\n{'what':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    totals = None
    for label, fn in results:
        ms, p95, queries, result = timed(fn, repeat=3 if "instead" in label else args.repeat)
        if hasattr(result, "status_code"):
            assert result.status_code == 200, (label, result.status_code)
        if label == "campaign_totals()":
            totals = result
        print(f"{label:34} {ms:10.1f} {p95:8.1f} {queries:8d}")
    assert totals is not None and totals["actions"] == m.Action.objects.filter(campaign=campaign).count()
    print(f"\ntotals: {totals['actions']:,} actions, {totals['people']:,} people, {totals['countries']} countries")

    if args.csv:
        start = time.perf_counter()
        response = client.get(reverse("campaigns:actions_csv", args=[SLUG]))
        size = sum(len(chunk) for chunk in response.streaming_content)
        print(f"CSV export: {size / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s")

    if not args.keep:
        cleanup()
        m.Membership.objects.filter(user__username="benchmark-organiser").delete()
        type(organiser).objects.filter(username="benchmark-organiser").delete()


if __name__ == "__main__":
    main()
