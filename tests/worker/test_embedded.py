"""Fault test on the embedded default: no REDIS_URL, SQLite, tasks in-process, a real SMTP server.

Run as separate processes with the production settings module and only what a laptop sets, so
nothing from the test settings (or the CI's DATABASE_URL and REDIS_URL) leaks in.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings

from .conftest import report

pytestmark = pytest.mark.worker

QUEUE = """
import sys, django
django.setup()
from django.conf import settings
from django.core.management import call_command
from campaigns.models import Delivery
from campaigns.services.delivery import delivery_queue
assert settings.REDIS_URL == "" and settings.CELERY_TASK_ALWAYS_EAGER, "not the embedded default"
assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
call_command("migrate", verbosity=0)
label, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    delivery_queue(to=[f"supporter{i % 4}@example.net"], subject=f"{label} {i}", body="In solidarity.")
print(dict((s, Delivery.objects.filter(state=s).count()) for s in Delivery.State.values))
"""


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(args, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def test_embedded_default_sends_in_process_and_retries_from_run_scheduled(smtp_server, tmp_path):
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "EMAIL_URL", "CI")}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",  # the default, but not in the working tree
        "EMAIL_URL": smtp_server.url,
        "DELIVERY_MAX_PER_MINUTE_PER_ADDRESS": "0",
        "DELIVERY_RETRY_BASE_SECONDS": "0.5",
        "DELIVERY_RETRY_MAX_SECONDS": "1",
        "DELIVERY_SWEEP_GRACE_SECONDS": "0",
        "EMAIL_TIMEOUT": "3",
    }
    began = time.monotonic()
    burst, outage = 30, 10
    assert run(env, sys.executable, "-c", QUEUE, "burst", str(burst)) == "{'queued': 0, 'sending': 0, 'sent': 30, 'failed': 0}"
    assert smtp_server.handler.count() == burst

    smtp_server.stop()
    assert run(env, sys.executable, "-c", QUEUE, "outage", str(outage)) == "{'queued': 10, 'sending': 0, 'sent': 30, 'failed': 0}"
    smtp_server.start()
    time.sleep(1.3)  # the retries fall due
    assert (
        run(env, sys.executable, "manage.py", "run_scheduled", "delivery-sweep") == "delivery-sweep: {'overdue': 10, 'stuck': 0}"
    )

    received = smtp_server.handler.by_message_id()
    figures = {
        "queued": burst + outage,
        "sent": len(received),
        "duplicated": sum(n - 1 for n in received.values()),
        "lost": burst + outage - len(received),
    }
    assert figures == {"queued": 40, "sent": 40, "duplicated": 0, "lost": 0}
    assert sorted(m.subject for m in smtp_server.messages) == sorted(
        [f"burst {i}" for i in range(burst)] + [f"outage {i}" for i in range(outage)]
    )
    report(
        f"embedded default (no Redis, SQLite): {figures}; {outage} queued while SMTP was down, "
        f"sent by `manage.py run_scheduled delivery-sweep`; {time.monotonic() - began:.1f} s in all"
    )
