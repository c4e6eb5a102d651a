"""Issue 11, tried as an attacker would: an anonymous action never reveals, changes or re-subscribes a supporter,
and speaks for one person."""

import datetime as dt
import io

import pytest
from django.core import signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from campaigns import models as m
from campaigns.selectors.notifications import supporters_to_notify
from campaigns.selectors.totals import campaign_totals
from campaigns.services.actions import action_record
from campaigns.services.notifications import supporter_unsubscribe
from campaigns.services.supporters import SupporterDetails

FOUNDRY = "irtyshskii-foundry-nationalisation"
VICTIM = "victim@example.net"


@pytest.fixture
def foundry(db, organisation):
    call_command("load_seeds", stdout=io.StringIO())
    return m.Campaign.objects.get(slug=FOUNDRY)


@pytest.fixture
def victim(foundry):
    """Someone who acted, asked for news, then unsubscribed."""
    action = action_record(
        campaign=foundry,
        kind="email",
        targets=[foundry.targets.get(name="Kazakhmys")],
        supporter_details=SupporterDetails(name="Real Name", email=VICTIM, organisation="Real Branch", country="KZ"),
    )
    m.Supporter.objects.filter(pk=action.supporter_id).update(consent_updates=True, consented_at=timezone.now())
    supporter = m.Supporter.objects.get(pk=action.supporter_id)
    supporter_unsubscribe(token=supporter.unsubscribe_token)
    supporter.refresh_from_db()
    return supporter


def _api_post(email: str):
    body = {
        "campaign": FOUNDRY,
        "kind": "email",
        "targets": ["Kazakhmys"],
        "supporter": {"name": "Attacker", "email": email, "organisation": "Fake", "consent_updates": True},
    }
    return APIClient().post("/api/v1/actions/", body, format="json")


def _unchanged(supporter: m.Supporter) -> None:
    fresh = m.Supporter.objects.get(pk=supporter.pk)
    assert (fresh.name, fresh.organisation, fresh.email) == ("Real Name", "Real Branch", VICTIM)
    assert not fresh.consent_updates, "never re-subscribed without the mailbox's confirmation"


def test_the_api_answers_the_same_whatever_the_emails_history(victim, foundry):
    stranger, known = _api_post("never-acted@example.net"), _api_post(VICTIM)
    assert stranger.status_code == known.status_code == 202
    assert stranger.json() == known.json(), "the answer must not tell whether the address acted before"
    body = known.content.decode()
    earlier = foundry.actions.get(supporter=victim)
    assert earlier.created.isoformat()[:16] not in body and "created" not in known.json()
    _unchanged(victim)
    assert victim not in supporters_to_notify(campaign=foundry)
    assert foundry.actions.filter(supporter__email__iexact=VICTIM).count() == 1, "counted once"


def test_the_forms_answer_the_same_whatever_the_emails_history(client, victim, foundry):
    kazakhmys = foundry.targets.get(name="Kazakhmys")
    data = {"kind": "email", "targets": [kazakhmys.pk], "date": dt.date.today().isoformat(), "name": "Attacker",
            "organisation": "Fake", "consent_updates": "on"}  # fmt: skip
    url = reverse("campaigns:record", args=[FOUNDRY])
    known = client.post(url, {**data, "email": VICTIM, "submission": "x1"})
    stranger = client.post(url, {**data, "email": "never-acted@example.net", "submission": "x2"})
    assert known.status_code == stranger.status_code == 302
    assert _thanks(known) == _thanks(stranger)
    page = client.get(known["Location"]).content.decode()
    assert "already" not in page and "Real Name" not in page
    _unchanged(victim)


def _thanks(response) -> dict:
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    return signing.loads(token, salt="campaigns.act.thanks")


def test_only_the_mailbox_can_resubscribe_and_confirmation_mail_is_bounded(victim, foundry, mailoutbox):
    for _ in range(5):
        _api_post(VICTIM)
    confirmations = m.Delivery.objects.filter(purpose="confirmation", recipient=VICTIM)
    assert confirmations.count() == 1, "one confirmation a day per address and campaign, however often it is asked"
    _unchanged(victim)


def test_an_anonymous_action_speaks_for_one_person(client, foundry):
    before = campaign_totals(campaign=foundry)["people"]
    response = APIClient().post("/api/v1/actions/", {"campaign": FOUNDRY, "kind": "motion", "represents": 2_000_000_000})
    assert response.status_code == 400 and "represents" in response.json()
    client.post(
        reverse("campaigns:record", args=[FOUNDRY]),
        {"kind": "motion", "date": dt.date.today().isoformat(), "represents": "2000000000", "submission": "m"},
    )
    assert campaign_totals(campaign=foundry)["people"] == before + 1


def test_an_organiser_may_record_an_action_for_many(organiser, foundry):
    from campaigns.services.api import api_token_create

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=organiser).key}")
    response = api.post("/api/v1/actions/", {"campaign": FOUNDRY, "kind": "motion", "represents": 320}, format="json")
    assert response.status_code == 201 and response.json()["represents"] == 320
