"""The outbox: a delivery is queued in the transaction, sent after commit, exactly once."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from campaigns.models import Delivery, Demand
from campaigns.services.campaigns import demand_outcome_set, update_post
from campaigns.services.delivery import delivery_queue, delivery_send


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server refused the connection")


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
    delivery_send(delivery_id=delivery.pk)
    delivery_send(delivery_id=delivery.pk)
    assert len(mail.outbox) == 1


def test_dedupe_key_queues_one_delivery(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = delivery_queue(to=["a@example.org"], subject="Reminder", body=".", dedupe_key="reminder:1:1")
        second = delivery_queue(to=["a@example.org"], subject="Reminder", body=".", dedupe_key="reminder:1:1")
    assert first.pk == second.pk and len(mail.outbox) == 1


def test_a_failure_is_recorded_with_its_reason(db, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.test_delivery.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        delivery = delivery_queue(to=["ceo@company.example"], subject="Stop", body="Now.")
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert "ConnectionRefusedError: SMTP server refused" in delivery.last_error


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
