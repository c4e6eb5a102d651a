"""Idempotency-Key: a retried POST records one action and gets the first answer again."""

import datetime as dt
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from campaigns import models as m
from campaigns.services.api import api_token_create, idempotency_keys_prune

FOUNDRY = "irtyshskii-foundry-nationalisation"
URL = "/api/v1/actions/"
BODY = {"campaign": FOUNDRY, "kind": "email", "targets": ["Kazakhmys"], "supporter": {"name": "Ann", "email": "ann@example.net"}}


@pytest.fixture
def foundry(db, organisation):
    call_command("load_seeds", stdout=io.StringIO())
    return m.Campaign.objects.get(slug=FOUNDRY)


def post(client, body=BODY, key="retry-me-1", url=URL):
    return client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_with_the_same_key_records_one_action_and_gets_the_same_answer(foundry):
    client = APIClient()
    first, retry = post(client), post(client)
    assert (first.status_code, retry.status_code) == (202, 202)
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert m.Action.objects.filter(campaign=foundry).count() == 1
    assert m.Supporter.objects.count() == 1


def test_the_same_key_with_another_body_is_422_and_records_nothing(foundry):
    client = APIClient()
    assert post(client).status_code == 202
    response = post(client, {**BODY, "kind": "fax"})
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert m.Action.objects.filter(campaign=foundry).count() == 1


def test_different_keys_record_different_actions(foundry):
    client = APIClient()
    other = {**BODY, "supporter": {"name": "Bob", "email": "bob@example.net"}}
    assert post(client, key="a").status_code == post(client, other, key="b").status_code == 202
    assert m.Action.objects.filter(campaign=foundry).count() == 2


def test_without_a_key_each_post_records_an_action(foundry):
    client = APIClient()
    anonymous = {k: v for k, v in BODY.items() if k != "supporter"}  # no email: nothing to deduplicate by
    client.post(URL, anonymous, format="json")
    client.post(URL, anonymous, format="json")
    assert m.Action.objects.filter(campaign=foundry).count() == 2


def test_keys_are_scoped_to_who_sends_them(foundry, organiser):
    organiser_client = APIClient()
    organiser_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=organiser).key}")
    anonymous = post(APIClient())
    own = post(organiser_client, {**BODY, "kind": "fax"})
    assert (anonymous.status_code, own.status_code) == (202, 201)
    assert own.json()["supporter"]["email"] == "ann@example.net"  # the organiser's own answer, not the anonymous one
    assert m.Action.objects.filter(campaign=foundry).count() == 2


def test_a_refused_request_is_not_remembered(foundry):
    client = APIClient()
    assert post(client, {**BODY, "kind": "telegram"}).status_code == 400
    assert post(client).status_code == 202
    assert m.Action.objects.filter(campaign=foundry).count() == 1


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "clé"])
def test_unusable_keys_are_400(foundry, key):
    response = APIClient().post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY=key.encode().decode("latin-1"))
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not m.Action.objects.filter(campaign=foundry).exists()


def test_keys_expire_after_the_ttl(foundry, settings):
    client = APIClient()
    assert post(client).status_code == 202
    m.IdempotencyKey.objects.update(created=timezone.now() - dt.timedelta(seconds=settings.API_IDEMPOTENCY_KEY_TTL + 1))
    response = post(client, {**BODY, "kind": "fax"})
    assert response.status_code == 202 and "Idempotent-Replayed" not in response
    assert m.Action.objects.filter(campaign=foundry).count() == 2


def test_prune_forgets_old_keys(foundry):
    post(APIClient(), key="old")
    post(APIClient(), key="new")
    m.IdempotencyKey.objects.filter(key="old").update(created=timezone.now() - dt.timedelta(days=2))
    assert idempotency_keys_prune() == 1
    assert list(m.IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_record_one_action(postgresql, organisation, monkeypatch):
    """Two requests with one key at the same time: the second waits for the first, then replays its answer."""
    call_command("load_seeds", stdout=io.StringIO())
    from campaigns.api import views

    real_record = views.action_record
    started = threading.Event()

    def slow_record(**kwargs):
        action = real_record(**kwargs)
        started.set()
        threading.Event().wait(0.5)  # hold the transaction (and the claimed key) open
        return action

    monkeypatch.setattr(views, "action_record", slow_record)
    answers = {}

    def send(name):
        try:
            response = Client().post(URL, BODY, content_type="application/json", HTTP_IDEMPOTENCY_KEY="together")
            answers[name] = (response.status_code, response.json(), response.get("Idempotent-Replayed"))
        finally:
            connection.close()

    first = threading.Thread(target=send, args=("first",))
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=send, args=("second",))
    second.start()
    first.join(20)
    second.join(20)
    assert answers["first"][:2] == answers["second"][:2]
    assert answers["first"][0] == 202 and answers["second"][2] == "true"
    assert m.Action.objects.filter(campaign__slug=FOUNDRY).count() == 1


def test_the_same_supporter_acting_again_under_a_new_key_counts_once(foundry):
    client = APIClient()
    first, again = post(client, key="a"), post(client, key="b")
    assert (first.status_code, first.json()) == (again.status_code, again.json()), "the same answer, new or not"
    assert foundry.actions.count() == 1
