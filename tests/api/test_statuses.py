"""Through the API too, a status changes only through its service: history kept, news queued."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns import models as m

from ..factories import ActionFactory, SupporterFactory
from .test_views import FOUNDRY, token_client


@pytest.fixture
def foundry(db, organisation):
    call_command("load_seeds", stdout=io.StringIO())
    campaign = m.Campaign.objects.get(slug=FOUNDRY)
    supporter = SupporterFactory(email="ana@example.net", consent_updates=True, consented_at=timezone.now())
    ActionFactory(campaign=campaign, supporter=supporter)
    return campaign


def test_a_document_put_wins_the_campaign_and_meets_a_demand_with_history_and_news(organiser, foundry):
    client = token_client(organiser)
    document = client.get(f"/api/v1/campaigns/{FOUNDRY}/").json()
    document["status"] = "won"
    document["demands"][0] |= {"status": "met", "date": "2026-11", "evidence": "The decree."}
    assert client.put(f"/api/v1/campaigns/{FOUNDRY}/", document, format="json").status_code == 200
    assert [(c.previous, c.status) for c in foundry.status_history.all()] == [("draft", "active"), ("active", "won")]
    keys = sorted(m.Delivery.objects.values_list("dedupe_key", flat=True))
    assert [k.split(":")[1] for k in keys] == ["campaign", "demand"]
    # The same document again is no change: nothing more.
    assert client.put(f"/api/v1/campaigns/{FOUNDRY}/", document, format="json").status_code == 200
    assert foundry.status_history.count() == 2 and m.Delivery.objects.count() == 2


def test_a_persons_status_through_the_api_is_history_and_news(organiser, foundry):
    person = foundry.people.get(name="Ivan Bulgakov")
    response = token_client(organiser).post(
        f"/api/v1/people/{person.pk}/status/", {"status": "detained", "date": "2026-11-30"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert person.history.last().status == "detained"
    assert m.Delivery.objects.filter(dedupe_key__startswith="notify:person:").count() == 1


def test_a_document_put_that_changes_a_persons_status_keeps_its_history_and_sends_news(organiser, foundry):
    client = token_client(organiser)
    document = client.get(f"/api/v1/campaigns/{FOUNDRY}/").json()
    ivan = next(p for p in document["people"] if p["name"] == "Ivan Bulgakov")
    ivan["status"] = "detained"
    ivan["history"].append({"date": "2026-11-30", "status": "detained", "text": "Taken at the gate."})
    assert client.put(f"/api/v1/campaigns/{FOUNDRY}/", document, format="json").status_code == 200
    person = foundry.people.get(name="Ivan Bulgakov")
    assert (person.status, person.history.last().status) == ("detained", "detained")
    assert m.Delivery.objects.filter(dedupe_key__startswith="notify:person:").count() == 1
    # The same document again changes nothing and sends nothing more.
    assert client.put(f"/api/v1/campaigns/{FOUNDRY}/", document, format="json").status_code == 200
    assert person.history.filter(status="detained").count() == 1
    assert m.Delivery.objects.filter(dedupe_key__startswith="notify:person:").count() == 1
