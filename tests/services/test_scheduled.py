"""Scheduled mail (celery beat): deadline reminders, escalations, digests; the schedule; run_scheduled."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from campaigns.models import Campaign, Response
from campaigns.services.notifications import deadline_reminders_queue, digests_queue, escalations_queue
from campaigns.services.organisers import organiser_create
from config.celery_app import app, beat_schedule

from ..factories import ActionFactory, CampaignFactory, SupporterFactory, TargetFactory

TODAY = dt.date(2026, 5, 10)


@pytest.fixture(autouse=True)
def no_throttle(settings):
    settings.DELIVERY_MAX_PER_MINUTE_PER_ADDRESS = 0


def consenting(email: str):
    return SupporterFactory(email=email, consent_updates=True, consented_at=timezone.now())


def test_the_schedule_is_declared_in_one_place_and_names_real_tasks(settings):
    schedule = beat_schedule()
    assert set(schedule) == {"delivery-sweep", "deadline-reminders", "escalations", "organiser-digest", "idempotency-keys-prune"}
    assert app.conf.beat_schedule == schedule
    for entry in schedule.values():
        assert entry["task"] in app.tasks
    assert schedule["delivery-sweep"]["schedule"] == settings.DELIVERY_SWEEP_SECONDS
    assert schedule["organiser-digest"]["schedule"].hour == {settings.DIGEST_HOUR_UTC}


def test_deadline_reminders_once_per_supporter_and_campaign(campaign, settings, django_capture_on_commit_callbacks):
    settings.REMINDER_DAYS_BEFORE_DEADLINE = 3
    Campaign.objects.filter(pk=campaign.pk).update(deadline=TODAY + dt.timedelta(days=2))
    later = CampaignFactory(deadline=TODAY + dt.timedelta(days=5))
    past = CampaignFactory(deadline=TODAY - dt.timedelta(days=1))
    closed = CampaignFactory(deadline=TODAY + dt.timedelta(days=1), status=Campaign.Status.CLOSED)
    ana = consenting("ana@example.net")
    for c in (campaign, later, past, closed):
        ActionFactory(campaign=c, supporter=ana)
    ActionFactory(campaign=campaign, supporter=SupporterFactory(email="quiet@example.net"))

    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_queue(today=TODAY) == 1
        assert deadline_reminders_queue(today=TODAY + dt.timedelta(days=1)) == 0, "once per supporter and campaign"
    [message] = mail.outbox
    assert message.to == ["ana@example.net"] and message.subject == "Foundry workers: the deadline is in 2 days"
    assert f"unsubscribe/{ana.unsubscribe_token}/" in message.body
    assert "List-Unsubscribe" in message.extra_headers


def test_escalation_when_a_target_stays_silent(campaign, organiser, organisation, settings, django_capture_on_commit_callbacks):
    settings.ESCALATION_AFTER_DAYS = 7
    organiser.email = "org@example.org"
    organiser.save()
    no_email = organiser_create(username="noemail", password="pw", organisation=organisation)
    assert no_email.email == ""
    silent = TargetFactory(campaign=campaign, name="Kazakhmys")
    answered = TargetFactory(campaign=campaign, name="Ministry")
    recent = TargetFactory(campaign=campaign, name="Akimat")
    for target, days_ago in ((silent, 8), (silent, 2), (answered, 9), (recent, 3)):
        ActionFactory(campaign=campaign, date=TODAY - dt.timedelta(days=days_ago)).targets.set([target])
    Response.objects.create(campaign=campaign, target=answered, classification="refused", summary="No.")

    with django_capture_on_commit_callbacks(execute=True):
        assert escalations_queue(today=TODAY) == 1
        assert escalations_queue(today=TODAY + dt.timedelta(days=3)) == 0, "once in each window"
    [message] = mail.outbox
    assert message.to == ["org@example.org"]
    assert message.subject == "Foundry workers: no answer from Kazakhmys after 8 days"
    assert "2 times" in message.body and f"target={silent.pk}" in message.body

    with django_capture_on_commit_callbacks(execute=True):
        assert escalations_queue(today=TODAY + dt.timedelta(days=7)) == 2, "the silence lasts: again, now Akimat too"
    Response.objects.create(campaign=campaign, target=silent, classification="acknowledged", summary="Received.")
    with django_capture_on_commit_callbacks(execute=True):
        assert escalations_queue(today=TODAY + dt.timedelta(days=14)) == 1, "Kazakhmys answered; Akimat still silent"


def test_daily_digest_for_each_organiser_with_news(campaign, organiser, outsider, settings, django_capture_on_commit_callbacks):
    organiser.email, outsider.email = "org@example.org", "out@example.org"
    organiser.save()
    outsider.save()
    now = timezone.now()
    ActionFactory(campaign=campaign, represents=45000000)
    ActionFactory(campaign=campaign)
    ActionFactory(campaign=campaign, created=now - dt.timedelta(days=2))  # before the day
    target = TargetFactory(campaign=campaign)
    Response.objects.create(campaign=campaign, target=target, classification="refused", summary="No.")

    with django_capture_on_commit_callbacks(execute=True):
        assert digests_queue(now=now) == 1, "the outsider's campaigns saw nothing"
        assert digests_queue(now=now) == 0, "once a day"
    [message] = mail.outbox
    assert message.to == ["org@example.org"] and message.subject == "Daily digest: 2 actions on 1 campaign"
    assert "Foundry workers" in message.body and "actions: 2 (speaking for 45000001 people)" in message.body
    assert "responses from targets: 1" in message.body


def test_run_scheduled_runs_the_schedule_in_process(campaign, organiser, django_capture_on_commit_callbacks):
    organiser.email = "org@example.org"
    organiser.save()
    ActionFactory(campaign=campaign)
    out = __import__("io").StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduled", stdout=out)
    assert "delivery-sweep: {'overdue': 0, 'stuck': 0}" in out.getvalue()
    assert "organiser-digest: 1" in out.getvalue()
    assert [m.subject for m in mail.outbox] == ["Daily digest: 1 action on 1 campaign"]
    with pytest.raises(CommandError, match="no scheduled task named nope; there are: delivery-sweep"):
        call_command("run_scheduled", "nope")


@pytest.mark.django_db
def test_the_schedule_prunes_old_idempotency_keys(settings):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from campaigns.models import IdempotencyKey

    old = IdempotencyKey.objects.create(scope="anonymous", key="old", fingerprint="x", status_code=201, response={})
    IdempotencyKey.objects.filter(pk=old.pk).update(
        created=timezone.now() - dt.timedelta(seconds=settings.API_IDEMPOTENCY_KEY_TTL + 60)
    )
    IdempotencyKey.objects.create(scope="anonymous", key="new", fingerprint="y", status_code=201, response={})
    call_command("run_scheduled", "idempotency-keys-prune", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
