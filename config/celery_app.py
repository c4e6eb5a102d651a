"""The Celery application, configured from Django settings (CELERY_* names), and the beat schedule.

Start a worker and beat with `make worker` and `make beat` (README: "Run it on PostgreSQL and Redis").
"""

import os
import time

from celery import Celery
from celery.beat import PersistentScheduler
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# BrokerAMQP: kombu connections that survive a Redis restart (config/broker.py says why).
app = Celery("solidarity", amqp="config.broker:BrokerAMQP")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule() -> dict:
    """Everything that runs on a schedule, in one place. Each task is idempotent (dedupe keys),
    so an extra or late run sends nothing twice; `expires` drops runs a stopped worker piled up."""
    from django.conf import settings

    hourly = 3600
    return {
        # The outbox's safety net: re-publish mail a crash or a lost broker message left queued.
        "delivery-sweep": {
            "task": "campaigns.sweep_deliveries",
            "schedule": settings.DELIVERY_SWEEP_SECONDS,
            # Late is fine (a worker busy or reconnecting); a pile of them after an outage is not.
            "options": {"expires": 5 * settings.DELIVERY_SWEEP_SECONDS},
        },
        # Supporters who asked for news, REMINDER_DAYS_BEFORE_DEADLINE days before a deadline.
        "deadline-reminders": {
            "task": "campaigns.send_deadline_reminders",
            "schedule": crontab(minute=5),
            "options": {"expires": hourly},
        },
        # Organisers, when a target has had actions for ESCALATION_AFTER_DAYS days and said nothing.
        "escalations": {
            "task": "campaigns.send_escalations",
            "schedule": crontab(minute=35),
            "options": {"expires": hourly},
        },
        # Organisers' daily digest, at DIGEST_HOUR_UTC.
        "organiser-digest": {
            "task": "campaigns.send_organiser_digests",
            "schedule": crontab(minute=0, hour=settings.DIGEST_HOUR_UTC),
            "options": {"expires": hourly},
        },
        # The API forgets Idempotency-Keys older than API_IDEMPOTENCY_KEY_TTL.
        "idempotency-keys-prune": {
            "task": "campaigns.prune_idempotency_keys",
            "schedule": crontab(minute=50, hour=3),
            "options": {"expires": hourly},
        },
    }


@app.on_after_configure.connect
def _set_beat_schedule(sender, **kwargs):
    # Django settings are readable only once Celery has loaded its configuration from them.
    sender.conf.beat_schedule = beat_schedule()


class MarkingScheduler(PersistentScheduler):
    """Beat's usual scheduler, leaving a mark of its last run in the cache for /healthz (campaigns.health)."""

    mark_every = 15.0
    _marked = 0.0

    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        now = time.time()
        if now - self._marked >= self.mark_every:
            from campaigns.health import beat_mark_run

            beat_mark_run(at=now)
            self._marked = now
        return interval
