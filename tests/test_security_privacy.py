"""Issue 11: supporters' own words are private by default; organisations' letters stay public."""

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from campaigns import models as m
from campaigns.services.actions import action_record
from campaigns.services.api import api_token_create
from campaigns.services.supporters import SupporterDetails

FOUNDRY = "irtyshskii-foundry-nationalisation"
MANGYSTAU = "mangystau-oil-workers-2011"
WORDS = "Free Ivan Bulgakov. Yours sincerely, Ann Secret"


@pytest.fixture
def seeds(db, organisation):
    call_command("load_seeds", stdout=io.StringIO())


@pytest.fixture
def private(seeds):
    campaign = m.Campaign.objects.get(slug=FOUNDRY)
    return action_record(
        campaign=campaign, kind="letter", text=WORDS, supporter_details=SupporterDetails(name="Ann Secret", email="a@s.org")
    )


def _clients(organiser, outsider):
    mine, theirs = APIClient(), APIClient()
    mine.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=organiser).key}")
    theirs.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=outsider).key}")
    return {"anon": APIClient(), "theirs": theirs, "mine": mine}


@pytest.mark.parametrize(("who", "sees"), [("anon", False), ("theirs", False), ("mine", True)])
def test_a_supporters_letter_is_private_everywhere(private, organiser, outsider, who, sees):
    client = _clients(organiser, outsider)[who]
    for url in (
        "/api/v1/actions/",
        f"/api/v1/actions/{private.pk}/",
        f"/api/v1/campaigns/{FOUNDRY}/",
        f"/api/osdi/v1/advocacy_campaigns/{FOUNDRY}/outreaches",
        f"/c/{FOUNDRY}/",
    ):
        body = client.get(url).content.decode()
        assert ("Yours sincerely, Ann Secret" in body) is (sees and not url.startswith("/c/")), (who, url)


def test_a_supporter_may_choose_to_publish_their_words(seeds):
    body = {"campaign": FOUNDRY, "kind": "letter", "text": "Solidarity from Leeds.", "text_public": True}
    assert APIClient().post("/api/v1/actions/", body, format="json").status_code == 202
    assert "Solidarity from Leeds." in APIClient().get("/api/v1/actions/", {"campaign": FOUNDRY}).content.decode()


def test_organisations_letters_stay_public(seeds):
    from campaigns.selectors.documents import campaign_document, campaigns_for_documents

    document = campaign_document(campaign=campaigns_for_documents().get(slug=MANGYSTAU))
    [letter] = [a for a in document["actions"] if a["by"] == "ICEM; IMF"]
    assert letter["text"], "the federations' letter is a public statement"
    listed = APIClient().get("/api/v1/actions/", {"campaign": MANGYSTAU}).json()["results"]
    assert [a["text"] for a in listed if a["by"] == "ICEM; IMF"] == [letter["text"]]


def test_the_personal_export_keeps_the_choice(private, organiser):
    m.Action.objects.filter(pk=private.pk).update(text_public=True)
    out = io.StringIO()
    call_command("export_campaigns", FOUNDRY, "--include-personal", stdout=out)
    assert '"text_public": true' in out.getvalue()


def test_the_record_form_publishes_words_only_when_asked(client, seeds):
    import datetime as dt

    url = f"/c/{FOUNDRY}/record/"
    base = {"kind": "rally", "date": dt.date.today().isoformat()}
    client.post(url, {**base, "text": "Kept to the organisers.", "submission": "p1", "email": "p1@example.org"})
    client.post(url, {**base, "text": "Shown to all.", "text_public": "on", "submission": "p2", "email": "p2@example.org"})
    body = APIClient().get("/api/v1/actions/", {"campaign": FOUNDRY}).content.decode()
    assert "Shown to all." in body and "Kept to the organisers." not in body
