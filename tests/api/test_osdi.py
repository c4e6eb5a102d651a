"""/api/osdi/v1/: advocacy campaigns, outreaches, people and the record outreach helper, as OSDI clients see them."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from campaigns import models as m
from campaigns.services.api import api_token_create

from ..factories import ActionFactory, CampaignFactory, SupporterFactory

FOUNDRY = "irtyshskii-foundry-nationalisation"
MANGYSTAU = "mangystau-oil-workers-2011"
BASE = "/api/osdi/v1"
SECRET_EMAIL = "ann.secret@example.net"


def osdi_client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_OSDI_API_TOKEN=api_token_create(user=user).key)
    return client


@pytest.fixture
def foundry(db, organisation):
    call_command("load_seeds", stdout=io.StringIO())
    return m.Campaign.objects.get(slug=FOUNDRY)


@pytest.fixture
def anon():
    return osdi_client()


@pytest.fixture
def mine(organiser):
    return osdi_client(organiser)


@pytest.fixture
def theirs(outsider):
    return osdi_client(outsider)


@pytest.fixture
def supporter_action(foundry):
    supporter = SupporterFactory(name="Ann Secret", email=SECRET_EMAIL, consent_updates=False)
    action = ActionFactory(campaign=foundry, supporter=supporter, kind="call", subject="", text="Nationalise it.")
    action.targets.set([foundry.targets.get(name="Kazakhmys")])
    return action


def test_entry_point_links_to_the_collections(anon, db):
    response = anon.get(f"{BASE}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/hal+json"
    links = response.json()["_links"]
    assert links["osdi:advocacy_campaigns"]["href"] == "http://testserver/api/osdi/v1/advocacy_campaigns"
    assert {"osdi", "solidarity"} <= {c["name"] for c in links["curies"]}


def test_advocacy_campaigns_collection_is_hal(anon, foundry, django_assert_max_num_queries):
    CampaignFactory(slug="a-draft", status="draft", owner=foundry.owner)
    with django_assert_max_num_queries(17):
        response = anon.get(f"{BASE}/advocacy_campaigns", {"per_page": 1})
    assert response.status_code == 200
    data = response.json()
    assert (data["total_records"], data["total_pages"], data["per_page"], data["page"]) == (2, 2, 1, 1)
    (campaign,) = data["_embedded"]["osdi:advocacy_campaigns"]
    assert data["_links"]["osdi:advocacy_campaigns"] == [campaign["_links"]["self"]]
    assert data["_links"]["next"]["href"].endswith("advocacy_campaigns?page=2&per_page=1")
    second = anon.get(data["_links"]["next"]["href"]).json()
    slugs = {campaign["name"], second["_embedded"]["osdi:advocacy_campaigns"][0]["name"]}
    assert slugs == {FOUNDRY, MANGYSTAU}


def test_an_advocacy_campaign_carries_targets_and_our_extensions(anon, foundry):
    data = anon.get(f"{BASE}/advocacy_campaigns/{FOUNDRY}").json()
    assert data["identifiers"] == [f"solidarity_action_tracker:{FOUNDRY}"]
    assert data["title"] == foundry.title and data["target_universe"] == "Kazakhmys"
    (kazakhmys,) = data["targets"]
    assert kazakhmys["organization"] == "Kazakhmys"
    assert {"number": "73102768247", "number_type": "Fax", "primary": True} in kazakhmys["phone_numbers"]
    # The masked email is known to exist but has no value: not an OSDI email address, but kept as ours.
    assert kazakhmys["email_addresses"] == []
    assert {"kind": "email", "value": None, "e164": None, "masked": True, "label": ""} in kazakhmys["solidarity:channels"]
    assert "Ivan Bulgakov" in {p["name"] for p in data["solidarity:people_at_risk"]}
    assert data["solidarity:demands"] and data["solidarity:copy_to"]
    assert data["_links"]["osdi:record_outreach_helper"]["href"].endswith(f"/{FOUNDRY}/record_outreach_helper")


@pytest.mark.parametrize(("who", "status"), [("anon", 404), ("theirs", 404), ("mine", 200)])
def test_drafts_are_404_to_all_but_their_organisers(request, foundry, who, status):
    CampaignFactory(slug="a-draft", status="draft", owner=foundry.owner)
    client = request.getfixturevalue(who)
    assert client.get(f"{BASE}/advocacy_campaigns/a-draft").status_code == status
    assert client.get(f"{BASE}/advocacy_campaigns/a-draft/outreaches").status_code == status


def test_collections_pin_their_query_counts(mine, supporter_action, django_assert_max_num_queries):
    kazakhmys = supporter_action.targets.first()
    for _ in range(10):
        ActionFactory(campaign=supporter_action.campaign, supporter=SupporterFactory()).targets.set([kazakhmys])
        CampaignFactory().targets.create(name="Someone")
    for url, most in (
        (f"{BASE}/advocacy_campaigns", 17),
        (f"{BASE}/advocacy_campaigns/{FOUNDRY}/outreaches", 9),
        (f"{BASE}/people", 6),
        (f"{BASE}/people/{supporter_action.supporter_id}/outreaches", 10),
    ):
        with django_assert_max_num_queries(most):
            assert mine.get(url).status_code == 200


@pytest.mark.parametrize(("who", "personal"), [("anon", False), ("theirs", False), ("mine", True)])
def test_outreaches_link_to_people_only_for_the_organiser(request, supporter_action, who, personal):
    client = request.getfixturevalue(who)
    data = client.get(f"{BASE}/advocacy_campaigns/{FOUNDRY}/outreaches").json()
    (outreach,) = data["_embedded"]["osdi:outreaches"]
    assert outreach["type"] == "phone" and outreach["solidarity:kind"] == "call"
    assert outreach["targets"][0]["organization"] == "Kazakhmys"
    assert ("osdi:person" in outreach["_links"]) is personal
    assert (SECRET_EMAIL in str(data)) is False  # the outreach never carries the email, only a link
    single = client.get(outreach["_links"]["self"]["href"])
    assert single.status_code == 200 and single.json()["identifiers"] == outreach["identifiers"]


def test_people_are_supporters_of_your_campaigns(anon, theirs, mine, supporter_action):
    assert anon.get(f"{BASE}/people").status_code == 401
    assert theirs.get(f"{BASE}/people").json()["total_records"] == 0
    assert theirs.get(f"{BASE}/people/{supporter_action.supporter_id}").status_code == 404
    data = mine.get(f"{BASE}/people").json()
    (person,) = data["_embedded"]["osdi:people"]
    assert (person["given_name"], person["family_name"], person["solidarity:name"]) == ("Ann", "Secret", "Ann Secret")
    assert person["email_addresses"] == [{"address": SECRET_EMAIL, "primary": True, "status": "unsubscribed"}]
    outreaches = mine.get(person["_links"]["osdi:outreaches"]["href"]).json()
    assert outreaches["total_records"] == 1


HELPER_BODY = {
    "person": {
        "given_name": "Bo",
        "family_name": "Li",
        "email_addresses": [{"address": "bo@example.net", "primary": True, "status": "subscribed"}],
        "postal_addresses": [{"country": "FR", "locality": "Lyon"}],
        "solidarity:organisation": "CGT Lyon",
    },
    "action_date": "2026-01-05T10:00:00Z",
    "type": "email",
    "subject": "Nationalise the foundry",
    "message": "We stand with the foundry workers.",
    "targets": [{"organization": "Kazakhmys"}],
    "referrer_data": {"source": "newsletter"},
}


def test_record_outreach_helper_without_authentication_answers_an_empty_object(anon, foundry):
    url = f"{BASE}/advocacy_campaigns/{FOUNDRY}/record_outreach_helper"
    response = anon.post(url, HELPER_BODY, format="json")
    assert response.status_code == 200 and response.json() == {}
    action = m.Action.objects.get(campaign=foundry, subject="Nationalise the foundry")
    assert action.kind == "email" and action.date.isoformat() == "2026-01-05"
    assert [t.name for t in action.targets.all()] == ["Kazakhmys"]
    supporter = action.supporter
    assert (supporter.name, supporter.email, supporter.organisation, supporter.country.code) == (
        "Bo Li",
        "bo@example.net",
        "CGT Lyon",
        "FR",
    )
    assert supporter.consent_updates is False, "subscribed only once the address confirms"
    assert m.Delivery.objects.get(purpose="confirmation").to == ["bo@example.net"]


def test_record_outreach_helper_answers_the_organiser_with_the_outreach(mine, foundry):
    kazakhmys = foundry.targets.get(name="Kazakhmys")
    body = {**HELPER_BODY, "targets": [{"identifiers": [f"solidarity_action_tracker:target-{kazakhmys.pk}"]}]}
    body["solidarity:kind"] = "fax"
    body["solidarity:represents"] = 120
    response = mine.post(f"{BASE}/advocacy_campaigns/{FOUNDRY}/record_outreach_helper", body, format="json")
    assert response.status_code == 200
    outreach = response.json()
    assert outreach["solidarity:kind"] == "fax" and outreach["solidarity:represents"] == 120
    assert "osdi:person" in outreach["_links"]


def test_record_outreach_helper_answers_an_outsider_with_an_empty_object(theirs, foundry):
    response = theirs.post(f"{BASE}/advocacy_campaigns/{FOUNDRY}/record_outreach_helper", HELPER_BODY, format="json")
    assert response.status_code == 200 and response.json() == {}
    again = theirs.post(f"{BASE}/advocacy_campaigns/{FOUNDRY}/record_outreach_helper", HELPER_BODY, format="json")
    assert again.json() == {} and foundry.actions.filter(subject="Nationalise the foundry").count() == 1


def test_record_outreach_helper_speaks_for_one_person_without_an_organiser(anon, mine, foundry):
    body = {**HELPER_BODY, "solidarity:represents": 2_000_000_000}
    response = anon.post(f"{BASE}/advocacy_campaigns/{FOUNDRY}/record_outreach_helper", body, format="json")
    assert response.status_code == 400 and "solidarity:represents" in response.json()
    assert not foundry.actions.filter(represents__gt=1, supporter__isnull=False).exists()


def test_record_outreach_helper_accepts_hal_json(anon, foundry):
    import json

    response = anon.post(
        f"{BASE}/advocacy_campaigns/{FOUNDRY}/record_outreach_helper",
        data=json.dumps({"type": "phone"}),
        content_type="application/hal+json",
    )
    assert response.status_code == 200
    assert m.Action.objects.filter(campaign=foundry, kind="call").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"type": "carrier pigeon"}, "type"),
        ({"type": ""}, "type"),
        ({"targets": [{"organization": "Nobody"}]}, "targets"),
        ({"action_date": "yesterday"}, "action_date"),
        ({"action_date": "2999-01-01"}, "date"),
        ({"person": {"email_addresses": [{"address": "nope"}]}}, "person"),
        ({"solidarity:represents": 0}, "solidarity:represents"),
    ],
)
def test_record_outreach_helper_refuses_bad_input(anon, foundry, changes, field):
    response = anon.post(f"{BASE}/advocacy_campaigns/{FOUNDRY}/record_outreach_helper", {**HELPER_BODY, **changes}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not m.Action.objects.filter(campaign=foundry).exists()


def test_record_outreach_helper_is_idempotent(anon, foundry):
    url = f"{BASE}/advocacy_campaigns/{FOUNDRY}/record_outreach_helper"
    for _ in range(2):
        assert anon.post(url, HELPER_BODY, format="json", HTTP_IDEMPOTENCY_KEY="osdi-1").status_code == 200
    assert m.Action.objects.filter(campaign=foundry).count() == 1


def test_record_outreach_helper_on_a_draft_is_404(anon, foundry):
    CampaignFactory(slug="a-draft", status="draft", owner=foundry.owner)
    assert anon.post(f"{BASE}/advocacy_campaigns/a-draft/record_outreach_helper", HELPER_BODY, format="json").status_code == 404


@pytest.mark.parametrize("query", [{"page": "x"}, {"per_page": 0}, {"per_page": 101}, {"page": -1}])
def test_bad_paging_is_400(anon, foundry, query):
    assert anon.get(f"{BASE}/advocacy_campaigns", query).status_code == 400


def test_a_page_past_the_end_is_empty(anon, foundry):
    data = anon.get(f"{BASE}/advocacy_campaigns", {"page": 9}).json()
    assert data["_embedded"]["osdi:advocacy_campaigns"] == [] and data["total_records"] == 2


def test_an_advocacy_campaign_counts_from_the_tallies_in_queries_that_do_not_grow(anon, foundry):
    from campaigns.services.actions import action_record

    kazakhmys = foundry.targets.get(name="Kazakhmys")

    def detail_and_list() -> tuple[dict, int]:
        with CaptureQueriesContext(connection) as queries:
            detail = anon.get(f"{BASE}/advocacy_campaigns/{FOUNDRY}").json()
            anon.get(f"{BASE}/advocacy_campaigns")
        return detail, len(queries)

    action_record(campaign=foundry, kind="email", targets=[kazakhmys], dedupe=False)
    before, queries_before = detail_and_list()
    for _ in range(20):
        action_record(campaign=foundry, kind="fax", targets=[kazakhmys], dedupe=False)
    action_record(campaign=foundry, kind="letter", targets=[kazakhmys], dedupe=False, represents=40)
    after, queries_after = detail_and_list()
    assert (before["total_outreaches"], before["solidarity:total_represented"]) == (1, 1)
    assert (after["total_outreaches"], after["solidarity:total_represented"]) == (22, 61)
    assert queries_after == queries_before, "no action is loaded to count them"


# -- what real OSDI clients rely on: filter=, trailing slashes, POST to outreaches, identifiers, osdi:error


def _names(response, rel: str) -> list:
    assert response.status_code == 200, response.json()
    return [item.get("name") or item["identifiers"][0] for item in response.json()["_embedded"][f"osdi:{rel}"]]


def test_filter_by_modified_date(anon, foundry):
    m.Campaign.objects.filter(slug=MANGYSTAU).update(modified=timezone.now() - dt.timedelta(days=30))
    since = (timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _names(anon.get(f"{BASE}/advocacy_campaigns", {"filter": f"modified_date gt '{since}'"}), "advocacy_campaigns") == [
        FOUNDRY
    ]
    older = anon.get(f"{BASE}/advocacy_campaigns", {"filter": f"modified_date lt '{since[:10]}'"})
    assert _names(older, "advocacy_campaigns") == [MANGYSTAU]


def test_filter_by_identifier_and_email_address(mine, supporter_action):
    other = SupporterFactory(name="Cy Other", email="cy@example.net")
    ActionFactory(campaign=supporter_action.campaign, supporter=other)
    people = mine.get(f"{BASE}/people", {"filter": "email_address eq 'ANN.SECRET@example.net'"})
    assert [p["email_addresses"][0]["address"] for p in people.json()["_embedded"]["osdi:people"]] == ["ann.secret@example.net"]
    ours = f"solidarity_action_tracker:{other.pk}"
    assert mine.get(f"{BASE}/people", {"filter": f"identifier eq '{ours}'"}).json()["total_records"] == 1
    outreach = f"solidarity_action_tracker:{supporter_action.pk}"
    found = mine.get(f"{BASE}/advocacy_campaigns/{FOUNDRY}/outreaches", {"filter": f"identifier eq '{outreach}'"})
    assert found.json()["total_records"] == 1
    by_slug = {"filter": f"identifier eq 'solidarity_action_tracker:{FOUNDRY}'"}
    assert _names(mine.get(f"{BASE}/advocacy_campaigns", by_slug), "advocacy_campaigns") == [FOUNDRY]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("colour eq 'red'", "cannot be filtered by colour"),
        ("modified_date eq '2026-01-01'", "dates takes gt or lt"),
        ("modified_date gt 'yesterday'", "ISO 8601"),
        ("modified_date gt", "Write clauses like"),
    ],
)
def test_a_filter_that_cannot_be_read_is_an_osdi_error(anon, foundry, query, message):
    response = anon.get(f"{BASE}/advocacy_campaigns", {"filter": query})
    assert response.status_code == 400
    error = response.json()["osdi:error"]
    assert error["response_code"] == 400 and message in error["error_description"]


def test_paging_keeps_the_filter_and_links_previous(anon, foundry):
    query = {"filter": "created_date gt '2000-01-01'", "per_page": 1, "page": 2}
    data = anon.get(f"{BASE}/advocacy_campaigns", query).json()
    assert "filter=created_date+gt+%272000-01-01%27" in data["_links"]["previous"]["href"]
    assert data["_links"]["previous"] == data["_links"]["prev"]


def test_trailing_slashes_are_tolerated(anon, mine, supporter_action):
    assert anon.get(f"{BASE}/advocacy_campaigns/").json()["total_records"] == 2
    assert anon.get(f"{BASE}/advocacy_campaigns/{FOUNDRY}/").json()["name"] == FOUNDRY
    assert mine.get(f"{BASE}/people/", {"filter": "email_address eq 'ann.secret@example.net'"}).json()["total_records"] == 1
    missing = anon.get(f"{BASE}/no_such_thing/")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}


def test_campaigns_have_a_browser_url_and_people_custom_fields(anon, mine, supporter_action):
    campaign = anon.get(f"{BASE}/advocacy_campaigns/{FOUNDRY}").json()
    assert campaign["browser_url"] == f"http://testserver/c/{FOUNDRY}/"
    person = mine.get(f"{BASE}/people/{supporter_action.supporter_id}").json()
    assert person["custom_fields"] == {"organisation": "", "consent_updates": False}


def test_post_to_outreaches_records_one_and_keeps_the_clients_identifiers(mine, foundry, organiser):
    body = {
        **HELPER_BODY,
        "identifiers": ["crm:outreach-7"],
        "origin_system": "Union CRM",
        "person": {**HELPER_BODY["person"], "identifiers": ["crm:person-42"]},
    }
    response = mine.post(f"{BASE}/advocacy_campaigns/{FOUNDRY}/outreaches/", body, format="json")
    assert response.status_code == 200, response.json()
    outreach = response.json()
    assert outreach["origin_system"] == "Union CRM"
    assert "crm:outreach-7" in outreach["identifiers"]
    found = mine.get(f"{BASE}/advocacy_campaigns/{FOUNDRY}/outreaches", {"filter": "identifier eq 'crm:outreach-7'"})
    assert found.json()["total_records"] == 1
    person = mine.get(f"{BASE}/people", {"filter": "identifier eq 'crm:person-42'"}).json()["_embedded"]["osdi:people"]
    assert [p["email_addresses"][0]["address"] for p in person] == ["bo@example.net"]


def test_anonymous_posts_keep_the_outreachs_identifiers_but_name_no_person(anon, mine, foundry):
    body = {**HELPER_BODY, "identifiers": ["site:9"], "person": {**HELPER_BODY["person"], "identifiers": ["site:person-1"]}}
    response = anon.post(f"{BASE}/advocacy_campaigns/{FOUNDRY}/outreaches", body, format="json")
    assert response.status_code == 200 and response.json() == {}
    assert m.Action.objects.filter(external_identifiers__value="site:9").count() == 1
    assert not m.ExternalIdentifier.objects.filter(value="site:person-1").exists()


def test_a_missing_campaign_is_an_osdi_404(anon, db):
    response = anon.get(f"{BASE}/advocacy_campaigns/no-such-campaign")
    assert response.status_code == 404
    error = response.json()["osdi:error"]
    assert error["response_code"] == 404 and "No Campaign matches" in error["error_description"]
