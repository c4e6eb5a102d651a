"""Benchmark: the outbox, side by side with its baselines in one run.

1. `wire`: N messages through the outbox (queued, published to Redis, sent by a Celery worker
   `-c 2`) against a plain smtplib loop sending N messages on one connection, both to the same
   aiosmtpd server on loopback. Prints messages/s of each and the ratio.
2. `queue`: "send it from here" (POST /c/<slug>/act/, path=send, through Django's test client in
   this process) with 0, 10k and 100k deliveries already queued for the target's address. Prints
   actions/s and p50 at each length and the ratio to the empty queue.

It measures; it asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h12bench REDIS_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python benchmarks/delivery.py --messages 2000 --queued 0,10000,100000

The database is migrated and its deliveries deleted first: give it one of its own, never production.
The Redis database's Celery queue is purged.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import subprocess
import sys
import threading
import time
from email.message import EmailMessage as PlainMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent
SLUG = "benchmark-delivery"


class Counter:
    """aiosmtpd handler: counts messages and notes when the first and the last arrived."""

    def __init__(self) -> None:
        self.count = 0
        self.first = self.last = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            now = time.perf_counter()
            self.count += 1
            self.first = self.first or now
            self.last = now
        return "250 2.0.0 Accepted"

    def reset(self) -> None:
        with self.lock:
            self.count, self.first, self.last = 0, 0.0, 0.0


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    sys.exit(f"gave up waiting for {what}")


def smtplib_loop(*, port: int, n: int, handler: Counter) -> float:
    """The wire's speed for one sender: n messages on one connection, built like the outbox's."""
    import smtplib

    handler.reset()
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for i in range(n):
            message = PlainMessage()
            message["From"], message["To"], message["Subject"] = "noreply@localhost", f"m{i}@gov.example", f"Protest {i}"
            message.set_content("Release the workers. " * 20)
            client.send_message(message)
    return n / (time.perf_counter() - start)


def outbox_rate(*, port: int, n: int, handler: Counter, env: dict[str, str]) -> float:
    """n deliveries queued (and published) first, then a worker started: messages/s from its first to its last."""
    from django.db import connection, transaction

    from campaigns import models as m
    from campaigns.services.delivery import delivery_queue
    from config.celery_app import app

    app.control.purge()
    m.Delivery.objects.all().delete()
    m.DeliverySlot.objects.all().delete()
    with transaction.atomic():
        for i in range(n):
            delivery_queue(to=[f"m{i}@gov.example"], subject=f"Protest {i}", body="Release the workers. " * 20)
    connection.close()
    handler.reset()
    log = open(HERE / ".celery-bench.log", "w")  # noqa: SIM115 - closed below
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-c", "2", "--pool", "prefork", "-l", "WARNING"]
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: handler.count >= n or worker.poll() is not None, timeout=600, what=f"{n} messages")
        if worker.poll() is not None:
            sys.exit(f"the worker exited: see {log.name}")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
    sent = m.Delivery.objects.filter(state="sent").count()
    connection.close()
    if sent != n:
        print(f"  warning: {sent} of {n} rows marked sent")
    return (n - 1) / (handler.last - handler.first) if n > 1 else 0.0


def queue_fill(*, campaign_id: int, recipient: str, n: int) -> None:
    """n deliveries queued for `recipient`, one slot apart into the future (generate_series), and its slot row after them."""
    from django.db import connection
    from django.utils import timezone

    from campaigns import models as m
    from campaigns.services.delivery import _interval

    interval = (_interval() or dt.timedelta(seconds=10)).total_seconds()
    m.Delivery.objects.filter(recipient=recipient).delete()
    m.DeliverySlot.objects.filter(recipient=recipient).delete()
    if n:
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO {m.Delivery._meta.db_table} (campaign_id, purpose, kind, "to", cc, reply_to, subject, body, '
                "state, attempts, last_error, not_before, recipient, headers, message_id, created, letter) "
                "SELECT %s, 'action', 'email', %s::jsonb, '[]', '[]', 'Queued', 'Queued protest', 'queued', 0, '', "
                "now() + make_interval(secs => i * %s), %s, '{}', '', now(), '{}' FROM generate_series(1, %s) AS i",
                [campaign_id, f'["{recipient}"]', interval, recipient, n],
            )
            cursor.execute(f"ANALYZE {m.Delivery._meta.db_table}")
        next_at = timezone.now() + dt.timedelta(seconds=(n + 1) * interval)
        m.DeliverySlot.objects.create(recipient=recipient, next_at=next_at)
    connection.close()


def send_from_here(*, requests: int, slug: str, target_id: int) -> tuple[float, float]:
    """`requests` POSTs of the action form's "send it from here": (actions/s, p50 ms)."""
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    times = []
    warm_up = 5
    for i in range(-warm_up, requests):
        if i == 0:
            times, start = [], time.perf_counter()
        began = time.perf_counter()
        response = client.post(
            f"/c/{slug}/act/",
            {
                "way": "email",
                "targets": [target_id],
                "channel": "email",
                "subject": "Stop",
                "text": "Release the workers.",
                "name": "Bench",
                "email": f"send{i}-{time.time_ns()}@bench.example",
                "submission": f"{i}-{time.time_ns()}",
            },
        )
        times.append((time.perf_counter() - began) * 1000)
        if response.status_code != 302:
            sys.exit(f"send it from here answered {response.status_code}: {response.content[:500]!r}")
    rate = requests / (time.perf_counter() - start)
    connection.close()
    return rate, statistics.median(times)


def prepare() -> tuple[int, int, str]:
    from django.core.management import call_command

    from campaigns import models as m

    call_command("migrate", verbosity=0)
    owner, _ = m.Organisation.objects.get_or_create(name="Benchmark Federation")
    campaign, _ = m.Campaign.objects.update_or_create(
        slug=SLUG, defaults={"title": "Benchmark delivery", "status": "active", "owner": owner, "country": "KZ"}
    )
    target = m.Target.objects.filter(campaign=campaign).first() or m.Target.objects.create(
        campaign=campaign, name="The Ministry", position=0
    )
    channel, _ = m.Channel.objects.get_or_create(target=target, kind="email", defaults={"value": "ministry@bench.example"})
    return campaign.pk, target.pk, channel.value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="wire,queue", help="comma-separated: wire, queue")
    parser.add_argument("--messages", type=int, default=2000, help="messages per side for `wire` (default 2000)")
    parser.add_argument("--queued", default="0,10000,100000", help="queue lengths for `queue` (default 0,10000,100000)")
    parser.add_argument("--requests", type=int, default=200, help="send-from-here requests per queue length (default 200)")
    parser.add_argument("--port", type=int, default=8122, help="the SMTP server's port (default 8122)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")) or not os.environ.get("REDIS_URL"):
        sys.exit("set DATABASE_URL=postgres://... (a database of the benchmark's own) and REDIS_URL")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{args.port}"
    # This process queues and posts forms (no collectstatic here: plain static storage); the worker runs config.settings.
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    from benchmarks.intake import database_ensure

    database_ensure(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from aiosmtpd.controller import Controller

    campaign_id, target_id, address = prepare()
    parts = {p.strip() for p in args.parts.split(",")}
    handler = Counter()
    controller = Controller(handler, hostname="127.0.0.1", port=args.port, loop=asyncio.new_event_loop())
    controller.start()
    lines = []
    try:
        if "wire" in parts:
            env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
            env["DELIVERY_MAX_PER_MINUTE_PER_ADDRESS"] = "6"
            plain = smtplib_loop(port=args.port, n=args.messages, handler=handler)
            outbox = outbox_rate(port=args.port, n=args.messages, handler=handler, env=env)
            lines += [
                f"| smtplib loop, one connection | {args.messages} | {plain * 60:,.0f}/min | |",
                f"| outbox, Celery worker -c 2 | {args.messages} | {outbox * 60:,.0f}/min | {outbox / plain:.2f} |",
            ]
        if "queue" in parts:
            empty = None
            for n in [int(q) for q in args.queued.split(",")]:
                queue_fill(campaign_id=campaign_id, recipient=address, n=n)
                rate, p50 = send_from_here(requests=args.requests, slug=SLUG, target_id=target_id)
                empty = empty or rate
                lines.append(
                    f"| send it from here, {n:,} queued for the address | {args.requests} | "
                    f"{rate:.0f} actions/s, p50 {p50:.1f} ms | {rate / empty:.2f} |"
                )
                print(lines[-1], flush=True)
            from config.celery_app import app

            app.control.purge()  # the tasks those requests published; no worker ran them
    finally:
        controller.stop()
    print(f"\nOutbox, {os.cpu_count()} cores\n")
    print("| measurement | n | rate | ratio |")
    print("|---|---|---|---|")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
