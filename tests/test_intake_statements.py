"""Recording an action takes a fixed, small number of statements, and is committed before it is answered."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from campaigns import models as m
from campaigns.services.api import api_token_create

from .factories import CampaignFactory, ChannelFactory, TargetFactory

URL = "/api/v1/actions/"


@pytest.fixture
def campaign(organisation):
    campaign = CampaignFactory(status="active", owner=organisation)
    target = TargetFactory(campaign=campaign, name="The Ministry")
    ChannelFactory(target=target, kind="email", value="ministry@gov.example")
    return campaign


def _body(campaign, email: str, kind: str = "email") -> dict:
    return {"campaign": campaign.slug, "kind": kind, "targets": ["The Ministry"], "supporter": {"name": "Ann", "email": email}}


def _statements(fn) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        fn()
    return [q["sql"].split()[0].upper() for q in queries]


def test_an_api_action_is_a_handful_of_statements_and_none_reads_it_back(campaign, redis_url):
    # With Redis the rate limits count there; on the embedded default they count in the database (more statements).
    client = APIClient()
    client.post(URL, _body(campaign, "warm@up.example"), format="json")  # sessions, content types ... loaded once
    statements = _statements(lambda: client.post(URL, _body(campaign, "ann@example.net"), format="json"))
    # (savepoint) campaign, targets; supporter, action (its dedupe by the unique key), its target, the tallies
    assert statements == ["SAVEPOINT", "SELECT", "SELECT", "INSERT", "INSERT", "INSERT", "INSERT", "RELEASE"]
    with_key = _statements(
        lambda: client.post(URL, _body(campaign, "bob@example.net"), format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    )
    assert with_key == ["SAVEPOINT", "INSERT", "SELECT", "SELECT", "INSERT", "INSERT", "INSERT", "INSERT", "UPDATE", "RELEASE"]
    assert not [s for s in statements + with_key if s == "DELETE"], "pruning keys is the daily job's"


def test_a_repeat_is_found_by_the_unique_key_and_leaves_no_supporter_behind(campaign):
    client = APIClient()
    assert client.post(URL, _body(campaign, "ann@example.net"), format="json").status_code == 202
    supporters = m.Supporter.objects.count()
    assert client.post(URL, _body(campaign, "Ann@Example.NET"), format="json").status_code == 202
    assert m.Action.objects.filter(campaign=campaign).count() == 1
    assert m.Supporter.objects.count() == supporters, "the row made for the repeat went again"


def test_the_organiser_gets_the_new_action_back_without_a_second_read(campaign, organiser):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=organiser).key}")
    client.post(URL, _body(campaign, "warm@up.example"), format="json")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, _body(campaign, "ann@example.net", kind="fax"), format="json")
    assert response.status_code == 201
    assert response.json()["targets"][0]["name"] == "The Ministry"
    assert not [q for q in queries if q["sql"].startswith("SELECT") and '"campaigns_action"' in q["sql"].split("FROM")[1][:30]]


def test_the_record_form_is_a_handful_of_statements(client, campaign, redis_url):
    target = campaign.targets.get()
    form = {"kind": "call", "targets": [target.pk], "date": "2026-01-05", "represents": 1, "email": "ann@example.net"}
    client.post(f"/c/{campaign.slug}/record/", {**form, "submission": "warm-up", "email": "warm@up.example"})
    statements = _statements(lambda: client.post(f"/c/{campaign.slug}/record/", {**form, "submission": "one"}))
    # campaign, targets (with their channels, for the page); (savepoint) supporter, action, its target, the tallies
    assert statements == ["SELECT", "SELECT", "SELECT", "SAVEPOINT", "INSERT", "INSERT", "INSERT", "INSERT", "RELEASE"]


@pytest.mark.django_db(transaction=True)
def test_an_answered_action_is_already_committed(postgresql, organisation):
    """Another connection sees the row as soon as the answer is out: nothing answered 2xx waits in memory."""
    import psycopg

    campaign = CampaignFactory(status="active", owner=organisation)
    TargetFactory(campaign=campaign, name="The Ministry")
    response = APIClient().post(URL, _body(campaign, "ann@example.net", kind="call"), format="json")
    assert response.status_code == 202
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
    ) as other:
        count = other.execute("SELECT count(*) FROM campaigns_action WHERE campaign_id = %s", [campaign.pk]).fetchone()
    assert count == (1,)
