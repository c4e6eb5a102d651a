"""The outbox: queued in the transaction, sent after commit, exactly once; retried, throttled, swept.

Tasks run in-process here (tests/conftest.py); a real SMTP server on loopback answers. The same
paths with a real worker and Redis are in tests/worker/.
"""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Delivery, DeliverySlot, Demand
from campaigns.services.campaigns import demand_outcome_set, update_post
from campaigns.services.delivery import _backoff, delivery_queue, delivery_requeue, delivery_send, delivery_sweep

from ..smtp import SmtpServer, free_port


@pytest.fixture
def smtp(settings):
    server = SmtpServer().start()
    server.django_settings(settings)
    yield server
    server.stop()


def time_passes(delivery: Delivery, seconds: float = 3600) -> None:
    """Move a delivery's schedule into the past, as if the time had come (and gone)."""
    Delivery.objects.filter(pk=delivery.pk).update(not_before=timezone.now() - dt.timedelta(seconds=seconds))


def test_delivery_is_sent_only_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delivery = delivery_queue(to=["ceo@company.example"], cc=["union@example.org"], subject="Stop", body="Now.")
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()  # the commit happens
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.attempts == 1 and delivery.message_id
    assert [(m.to, m.cc, m.subject) for m in mail.outbox] == [(["ceo@company.example"], ["union@example.org"], "Stop")]


def test_a_redelivered_task_sends_nothing_twice(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = delivery_queue(to=["ceo@company.example"], subject="Stop", body="Now.")
    assert delivery_send(delivery_id=delivery.pk) == "done"
    assert delivery_send(delivery_id=delivery.pk) == "done"
    assert delivery_send(delivery_id=987654) == "missing"
    assert len(mail.outbox) == 1


def test_dedupe_key_queues_one_delivery(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = delivery_queue(to=["a@example.org"], subject="Reminder", body=".", dedupe_key="reminder:1:1")
        second = delivery_queue(to=["a@example.org"], subject="Reminder", body=".", dedupe_key="reminder:1:1")
    assert first.pk == second.pk and len(mail.outbox) == 1


def test_a_long_or_broken_subject_becomes_one_line_that_fits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = delivery_queue(to=["a@example.org"], subject="Free\nthem  " + "x" * 400, body=".")
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.subject == ("Free them " + "x" * 400)[:300]


def test_a_message_needs_an_address(db):
    with pytest.raises(ValidationError) as info:
        delivery_queue(to=[], subject="Stop", body="Now.")
    assert "to" in info.value.message_dict


def test_sent_over_smtp_with_its_message_id_and_headers(smtp, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = delivery_queue(
            to=["Kazakhmys <CEO@Company.example>"],
            subject="Stop the dismantling",
            body="Nationalise the foundry.",
            headers={"List-Unsubscribe": "<https://example.org/u/1/>"},
        )
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.recipient) == ("sent", 1, "ceo@company.example")
    [received] = smtp.messages
    assert (received.message_id, received.subject, received.rcpt_tos) == (
        delivery.message_id,
        "Stop the dismantling",
        ("CEO@Company.example",),
    )


def test_a_worker_sends_message_after_message_on_one_connection(smtp, db, settings, django_capture_on_commit_callbacks):
    settings.DELIVERY_MAX_PER_MINUTE_PER_ADDRESS = 0
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            delivery_queue(to=[f"minister{i}@gov.example"], subject=str(i), body=".")
    assert [m.subject for m in smtp.messages] == ["0", "1", "2"]
    assert len({m.peer for m in smtp.messages}) == 1, "one SMTP conversation for the three"
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}


def test_a_connection_the_server_dropped_is_replaced_and_the_message_still_goes(
    smtp, db, settings, django_capture_on_commit_callbacks
):
    settings.DELIVERY_MAX_PER_MINUTE_PER_ADDRESS = 0
    with django_capture_on_commit_callbacks(execute=True):
        delivery_queue(to=["a@gov.example"], subject="before", body=".")
    smtp.stop()  # the server restarts: the connection this process kept is dead
    smtp.start()
    with django_capture_on_commit_callbacks(execute=True):
        after = delivery_queue(to=["b@gov.example"], subject="after", body=".")
    after.refresh_from_db()
    assert (after.state, after.attempts) == ("sent", 1)
    assert [m.subject for m in smtp.messages] == ["before", "after"]
    assert len({m.peer for m in smtp.messages}) == 2


def test_an_idle_connection_is_not_reused(smtp, db, settings, django_capture_on_commit_callbacks):
    settings.DELIVERY_MAX_PER_MINUTE_PER_ADDRESS = 0
    settings.DELIVERY_CONNECTION_IDLE_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        delivery_queue(to=["a@gov.example"], subject="1", body=".")
        delivery_queue(to=["b@gov.example"], subject="2", body=".")
    assert len({m.peer for m in smtp.messages}) == 2


def test_a_transient_refusal_is_retried_later_with_the_same_message_id(smtp, db, settings, django_capture_on_commit_callbacks):
    settings.DELIVERY_RETRY_BASE_SECONDS = 60
    smtp.handler.refusing = True
    with django_capture_on_commit_callbacks(execute=True):
        delivery = delivery_queue(to=["ceo@company.example"], subject="Stop", body="Now.")
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("queued", 1)
    assert "451" in delivery.last_error and smtp.messages == []
    wait = (delivery.not_before - timezone.now()).total_seconds()
    assert 40 < wait < 80, "the first retry waits the base delay, give or take the jitter"
    first_message_id = delivery.message_id

    smtp.handler.refusing = False
    assert delivery_sweep() == {"overdue": 0, "stuck": 0}, "not due yet: the sweep leaves it"
    time_passes(delivery)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_sweep() == {"overdue": 1, "stuck": 0}
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.message_id) == ("sent", 2, first_message_id)
    assert [m.message_id for m in smtp.messages] == [first_message_id]


def test_a_permanent_refusal_fails_at_once_with_the_reason(smtp, db, django_capture_on_commit_callbacks):
    smtp.handler.rejected = {"gone@company.example"}
    with django_capture_on_commit_callbacks(execute=True):
        delivery = delivery_queue(to=["gone@company.example"], subject="Stop", body="Now.")
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("failed", 1)
    assert "550" in delivery.last_error and "No such mailbox" in delivery.last_error
    assert smtp.messages == []


def test_transient_failures_are_bounded(db, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL = (
        "127.0.0.1",
        free_port(),
        False,
        False,
    )
    settings.DELIVERY_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        delivery = delivery_queue(to=["ceo@company.example"], subject="Stop", body="Now.")
    for _ in range(2):
        delivery.refresh_from_db()
        assert delivery.state == "queued" and "ConnectionRefusedError" in delivery.last_error
        time_passes(delivery)
        with django_capture_on_commit_callbacks(execute=True):
            delivery_sweep()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("failed", 3)
    assert delivery.last_error.startswith("gave up after 3 attempts: ConnectionRefusedError")


def test_backoff_doubles_with_jitter_up_to_a_cap(settings):
    settings.DELIVERY_RETRY_BASE_SECONDS, settings.DELIVERY_RETRY_MAX_SECONDS = 60, 600
    waits = [[_backoff(attempt).total_seconds() for _ in range(50)] for attempt in (1, 2, 3, 4, 5, 6)]
    for expected, observed in zip((60, 120, 240, 480, 600, 600), waits, strict=True):
        assert expected * 0.75 <= min(observed) and max(observed) <= expected * 1.25
    assert len(set(waits[0])) > 1, "jitter spreads the retries"


def test_mail_to_one_address_is_spaced_out(db, settings, django_capture_on_commit_callbacks):
    settings.DELIVERY_MAX_PER_MINUTE_PER_ADDRESS = 6  # one every 10 seconds
    with django_capture_on_commit_callbacks(execute=True):
        first = delivery_queue(to=["ceo@company.example"], subject="1", body=".")
        second = delivery_queue(to=["CEO@company.example"], subject="2", body=".")
        third = delivery_queue(to=["Kazakhmys <ceo@company.example>"], subject="3", body=".")
        other = delivery_queue(to=["minister@gov.example"], subject="4", body=".")
    rows = {d.subject: d for d in Delivery.objects.all()}
    assert [m.subject for m in mail.outbox] == ["1", "4"], "the first to each address goes at once"
    assert rows["2"].state == rows["3"].state == "queued"
    gaps = [(rows[b].not_before - rows[a].not_before).total_seconds() for a, b in (("1", "2"), ("2", "3"))]
    assert all(9.99 < gap < 10.5 for gap in gaps), gaps
    assert (first.recipient, second.recipient, third.recipient, other.recipient) == (
        "ceo@company.example",
        "ceo@company.example",
        "ceo@company.example",
        "minister@gov.example",
    )


def test_a_task_that_would_break_the_throttle_waits_for_the_minute_to_pass(db, settings, django_capture_on_commit_callbacks):
    settings.DELIVERY_MAX_PER_MINUTE_PER_ADDRESS = 2
    now = timezone.now()
    for seconds_ago in (10, 5):
        Delivery.objects.create(
            to=["ceo@company.example"], recipient="ceo@company.example", subject="sent", body=".", state="sent",
            claimed_at=now - dt.timedelta(seconds=seconds_ago),
        )  # fmt: skip
    # Rows due now, e.g. re-published by the sweep after an outage, when two went out this minute.
    late = Delivery.objects.create(to=["ceo@company.example"], recipient="ceo@company.example", subject="late", body=".")
    later = Delivery.objects.create(to=["ceo@company.example"], recipient="ceo@company.example", subject="later", body=".")
    other = Delivery.objects.create(to=["minister@gov.example"], recipient="minister@gov.example", subject="other", body=".")
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_send(delivery_id=late.pk) == "throttled"
        assert delivery_send(delivery_id=later.pk) == "throttled"
        assert delivery_send(delivery_id=other.pk) == "sent"
    late.refresh_from_db()
    later.refresh_from_db()
    assert late.state == later.state == "queued" and late.attempts == later.attempts == 0
    assert round((late.not_before - now).total_seconds()) == 50, "when the first of the two leaves the minute"
    assert round((later.not_before - late.not_before).total_seconds()) == 30, "and the next one at the throttle's pace"


def test_the_sweep_publishes_what_was_committed_but_never_published(db, settings, django_capture_on_commit_callbacks):
    settings.DELIVERY_SWEEP_GRACE_SECONDS = 120
    with django_capture_on_commit_callbacks(execute=False):  # the process dies after commit, before publishing
        delivery = delivery_queue(to=["ceo@company.example"], subject="Stop", body="Now.")
    assert delivery_sweep() == {"overdue": 0, "stuck": 0}, "within the grace period its task may still be on its way"
    time_passes(delivery, seconds=121)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_sweep() == {"overdue": 1, "stuck": 0}
        assert delivery_sweep() == {"overdue": 0, "stuck": 0}
    assert len(mail.outbox) == 1


def test_a_row_left_sending_by_a_dead_worker_is_sent_again_after_its_lease(db, settings, django_capture_on_commit_callbacks):
    settings.DELIVERY_SENDING_LEASE_SECONDS = 120
    now = timezone.now()
    recent = Delivery.objects.create(
        to=["a@example.org"],
        recipient="a@example.org",
        subject="in flight",
        body=".",
        state="sending",
        attempts=1,
        claimed_at=now,
    )
    dead = Delivery.objects.create(
        to=["b@example.org"],
        recipient="b@example.org",
        subject="worker killed",
        body=".",
        state="sending",
        attempts=1,
        claimed_at=now - dt.timedelta(seconds=121),
        message_id="<kept@solidarity.localhost>",
    )
    assert delivery_send(delivery_id=recent.pk) == "busy"
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_sweep() == {"overdue": 0, "stuck": 1}
    dead.refresh_from_db()
    assert (dead.state, dead.attempts) == ("sent", 2)
    assert [(m.subject, m.extra_headers["Message-ID"]) for m in mail.outbox] == [("worker killed", "<kept@solidarity.localhost>")]


def test_a_row_that_keeps_losing_its_worker_fails_in_the_end(db, settings):
    settings.DELIVERY_MAX_ATTEMPTS, settings.DELIVERY_SENDING_LEASE_SECONDS = 3, 120
    poison = Delivery.objects.create(
        to=["a@example.org"],
        recipient="a@example.org",
        subject="kills workers",
        body=".",
        state="sending",
        attempts=3,
        claimed_at=timezone.now() - dt.timedelta(seconds=121),
    )
    delivery_sweep()
    poison.refresh_from_db()
    assert poison.state == "failed" and "the worker was lost" in poison.last_error
    assert mail.outbox == []


def test_a_failed_delivery_can_be_queued_again(db, django_capture_on_commit_callbacks):
    failed = Delivery.objects.create(
        to=["a@example.org"], recipient="a@example.org", subject="again", body=".", state="failed", attempts=6, last_error="x"
    )
    sent = Delivery.objects.create(to=["b@example.org"], recipient="b@example.org", subject="once", body=".", state="sent")
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_requeue(delivery=failed) is True
        assert delivery_requeue(delivery=sent) is False
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("sent", 1)
    assert [m.subject for m in mail.outbox] == ["again"]


def test_update_post_and_demand_outcome(campaign, organiser):
    update = update_post(campaign=campaign, title=" Bulgakov released ", text="Good news.", author=organiser)
    assert update.title == "Bulgakov released"
    with pytest.raises(ValidationError):
        update_post(campaign=campaign, title=" ")
    demand = Demand.objects.create(campaign=campaign, text="Nationalise the foundry")
    demand_outcome_set(demand=demand, status="partly_met", date="2011-10", evidence="Decree 12")
    demand.refresh_from_db()
    assert (demand.status, demand.date, demand.evidence) == ("partly_met", "2011-10", "Decree 12")
    with pytest.raises(ValidationError) as info:
        demand_outcome_set(demand=demand, status="won", date="October")
    assert set(info.value.message_dict) == {"status", "date"}


def test_queuing_costs_the_same_however_long_the_queue(db, settings):
    """One upsert of the recipient's slot row, one insert: no read of what is already queued."""
    settings.DELIVERY_MAX_PER_MINUTE_PER_ADDRESS = 6
    first = delivery_queue(to=["ceo@company.example"], subject="first", body=".")
    delivery_queue(to=["minister@gov.example"], subject="the only one", body=".")
    Delivery.objects.bulk_create(
        Delivery(to=["ceo@company.example"], recipient="ceo@company.example", subject=str(i), body=".") for i in range(500)
    )
    with CaptureQueriesContext(connection) as long_queue:
        second = delivery_queue(to=["ceo@company.example"], subject="second", body=".")
    with CaptureQueriesContext(connection) as empty_queue:
        delivery_queue(to=["minister@gov.example"], subject="elsewhere", body=".")
    assert len(long_queue) == len(empty_queue)
    if connection.vendor == "postgresql":
        assert len(long_queue) == 4, "savepoint, slot upsert, insert, release"
    assert 9.99 < (second.not_before - first.not_before).total_seconds() < 10.5, "the next slot, not the queue's length"
    assert DeliverySlot.objects.get(recipient="ceo@company.example").next_at == second.not_before + dt.timedelta(seconds=10)


def test_a_retry_takes_a_slot_behind_the_mail_already_queued(db, settings):
    settings.DELIVERY_MAX_PER_MINUTE_PER_ADDRESS = 6
    settings.DELIVERY_RETRY_BASE_SECONDS = 1
    queued = [delivery_queue(to=["ceo@company.example"], subject=str(i), body=".") for i in range(3)]
    assert delivery_requeue(delivery=queued[0]) is False, "only a failed delivery is queued again"
    Delivery.objects.filter(pk=queued[0].pk).update(state="failed")
    assert delivery_requeue(delivery=queued[0]) is True
    queued[0].refresh_from_db()
    assert round((queued[0].not_before - queued[2].not_before).total_seconds()) == 10
