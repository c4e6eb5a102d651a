"""/healthz: green when the database, cache, broker, outbox and beat are well; names what is not."""

import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from campaigns import models as m
from campaigns.health import BEAT_LAST_RUN_KEY, beat_mark_run
from config.celery_app import MarkingScheduler


def _health(client) -> tuple[int, dict]:
    response = client.get("/healthz/", HTTP_ACCEPT="application/json")
    return response.status_code, response.json()


def _failing(checks: dict) -> dict:
    return {name: result for name, result in checks.items() if result != "OK"}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.delete(BEAT_LAST_RUN_KEY)
    yield
    cache.delete(BEAT_LAST_RUN_KEY)


@pytest.mark.django_db(transaction=True)
def test_embedded_default_checks_database_cache_and_outbox(client, settings):
    settings.REDIS_URL = ""
    status, checks = _health(client)
    assert status == 200, checks
    assert [name.split("(")[0] for name in checks] == ["Database", "Cache", "OutboxQueue"]


@pytest.mark.django_db(transaction=True)
def test_mail_waiting_too_long_turns_it_red(client, settings):
    settings.REDIS_URL = ""
    settings.HEALTH_MAX_QUEUE_WAIT_SECONDS = 600
    m.Delivery.objects.create(to=["a@example.org"], recipient="a@example.org", subject="s", body="b")
    m.Delivery.objects.update(not_before=timezone.now() - dt.timedelta(minutes=5))
    assert _health(client)[0] == 200
    m.Delivery.objects.update(not_before=timezone.now() - dt.timedelta(minutes=20))
    status, checks = _health(client)
    assert status == 500
    (name, error), *others = _failing(checks).items()
    assert name.startswith("OutboxQueue") and not others
    assert "the oldest due message has waited 1200 s" in error


@pytest.mark.django_db(transaction=True)
def test_with_redis_it_checks_the_broker_and_beats_last_run(client, settings, redis_url):
    settings.HEALTH_BEAT_MAX_AGE_SECONDS = 300
    status, checks = _health(client)
    assert status == 500
    assert [name.split("(")[0] for name in _failing(checks)] == ["BeatLastRun"]
    beat_mark_run(at=time.time() - 400)
    assert "beat last ran 40" in _failing(_health(client)[1]).popitem()[1]
    beat_mark_run()
    status, checks = _health(client)
    assert status == 200, checks
    assert any(name.startswith("Redis") for name in checks)


def test_beats_scheduler_leaves_its_mark(tmp_path):
    from config.celery_app import app

    scheduler = MarkingScheduler(app=app, schedule_filename=str(tmp_path / "schedule"), lazy=True)
    scheduler.setup_schedule()
    scheduler.tick()
    assert time.time() - cache.get(BEAT_LAST_RUN_KEY) < 60
