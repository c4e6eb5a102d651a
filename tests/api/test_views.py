"""/api/v1/: every endpoint as anonymous, the campaign's organiser and an organiser of another organisation."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from campaigns import models as m
from campaigns.selectors.documents import campaign_document, campaigns_for_documents
from campaigns.services.api import api_token_create
from campaigns.services.tallies import action_tallies_rebuild

from ..factories import ActionFactory, CampaignFactory, SupporterFactory, TargetFactory

FOUNDRY = "irtyshskii-foundry-nationalisation"
MANGYSTAU = "mangystau-oil-workers-2011"
SECRET_EMAIL = "ann.secret@example.net"


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user).key}")
    return client


@pytest.fixture
def seeds(db, organisation):
    call_command("load_seeds", stdout=io.StringIO())


@pytest.fixture
def foundry(seeds):
    return m.Campaign.objects.get(slug=FOUNDRY)


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def mine(organiser):
    return token_client(organiser)


@pytest.fixture
def theirs(outsider):
    return token_client(outsider)


@pytest.fixture
def draft(organisation):
    campaign = CampaignFactory(owner=organisation, slug="secret-draft", status=m.Campaign.Status.DRAFT)
    target = TargetFactory(campaign=campaign, name="Draft target")
    m.Demand.objects.create(campaign=campaign, text="Draft demand")
    m.Person.objects.create(campaign=campaign, name="Draft person")
    m.Event.objects.create(campaign=campaign, text="Draft event")
    m.Update.objects.create(campaign=campaign, title="Draft update")
    action = ActionFactory(campaign=campaign)
    action.targets.set([target])
    m.Response.objects.create(campaign=campaign, target=target, classification="refused", summary="Draft response")
    return campaign


@pytest.fixture
def supporter_action(foundry):
    """An action on the foundry campaign by a supporter whose details must stay private."""
    supporter = SupporterFactory(name="Ann Secret", email=SECRET_EMAIL, organisation="Branch 7")
    action = ActionFactory(campaign=foundry, supporter=supporter, kind="email", country="GB")
    action.targets.set([foundry.targets.get(name="Kazakhmys")])
    return action


# -- campaigns ---------------------------------------------------------------------------------------


def test_anonymous_lists_published_campaigns_only(anon, seeds, draft, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = anon.get("/api/v1/campaigns/")
    assert response.status_code == 200
    assert {c["slug"] for c in response.json()["results"]} == {FOUNDRY, MANGYSTAU}
    assert response.json()["count"] == 2


def test_organiser_lists_their_drafts_but_outsider_does_not(mine, theirs, seeds, draft):
    assert "secret-draft" in {c["slug"] for c in mine.get("/api/v1/campaigns/").json()["results"]}
    assert "secret-draft" not in {c["slug"] for c in theirs.get("/api/v1/campaigns/").json()["results"]}


def test_campaign_list_query_count_does_not_grow(anon, seeds, django_assert_max_num_queries):
    for i in range(10):
        CampaignFactory(slug=f"more-{i}")
    with django_assert_max_num_queries(3):
        response = anon.get("/api/v1/campaigns/?page_size=50")
    assert response.json()["count"] == 12


def test_campaign_detail_is_the_campaign_document(anon, foundry):
    response = anon.get(f"/api/v1/campaigns/{FOUNDRY}/")
    assert response.status_code == 200
    expected = campaign_document(campaign=campaigns_for_documents().get(pk=foundry.pk), include_personal=False)
    assert response.json() == json.loads(json.dumps(expected))
    assert response.json()["targets"][0]["channels"]


@pytest.mark.parametrize("who", ["anon", "theirs"])
def test_campaign_document_hides_supporters_from_all_but_organisers(request, who, supporter_action):
    client = request.getfixturevalue(who)
    body = client.get(f"/api/v1/campaigns/{FOUNDRY}/").content.decode()
    assert SECRET_EMAIL not in body and "Ann Secret" not in body and "Branch 7" not in body
    actions = json.loads(body)["actions"]
    assert all("supporter" not in a for a in actions)
    assert "a supporter" in {a["by"] for a in actions}


def test_campaign_document_shows_supporters_to_the_organiser(mine, supporter_action):
    actions = mine.get(f"/api/v1/campaigns/{FOUNDRY}/").json()["actions"]
    supporter = next(a["supporter"] for a in actions if a.get("supporter"))
    assert supporter == {
        "name": "Ann Secret",
        "email": SECRET_EMAIL,
        "organisation": "Branch 7",
        "country": "GB",
        "consent_updates": False,
    }


@pytest.mark.parametrize(("who", "status"), [("anon", 404), ("theirs", 404), ("mine", 200)])
def test_drafts_are_404_to_all_but_their_organisers(request, draft, who, status):
    client = request.getfixturevalue(who)
    assert client.get("/api/v1/campaigns/secret-draft/").status_code == status
    assert client.get("/api/v1/campaigns/secret-draft/totals/").status_code == status


def _document(slug="new-appeal", **extra):
    return {
        "slug": slug,
        "title": "Free the drivers",
        "status": "active",
        "targets": [
            {"name": "Transport Ministry", "kind": "government", "channels": [{"kind": "email", "value": "m@gov.example"}]}
        ],
        **extra,
    }


def test_anonymous_cannot_create_or_replace_campaigns(anon, foundry):
    assert anon.post("/api/v1/campaigns/", _document(), format="json").status_code == 401
    assert anon.put(f"/api/v1/campaigns/{FOUNDRY}/", _document(FOUNDRY), format="json").status_code == 401
    assert not m.Campaign.objects.filter(slug="new-appeal").exists()


def test_organiser_creates_a_campaign_owned_by_their_organisation(mine, organisation):
    response = mine.post("/api/v1/campaigns/", _document(), format="json")
    assert response.status_code == 201, response.json()
    assert response["Location"] == "/api/v1/campaigns/new-appeal/"
    assert response.json()["owner"] == organisation.name
    assert response.json()["targets"][0]["channels"][0]["value"] == "m@gov.example"
    assert m.Campaign.objects.get(slug="new-appeal").owner == organisation


def test_organiser_cannot_create_a_campaign_for_another_organisation(mine, other_organisation):
    response = mine.post("/api/v1/campaigns/", _document(owner=other_organisation.name), format="json")
    assert response.status_code == 400
    assert "owner" in response.json()
    assert not m.Campaign.objects.filter(slug="new-appeal").exists()


def test_creating_over_an_existing_slug_is_refused(theirs, foundry):
    response = theirs.post("/api/v1/campaigns/", _document(FOUNDRY), format="json")
    assert response.status_code == 400 and "slug" in response.json()
    assert m.Campaign.objects.get(slug=FOUNDRY).title != "Free the drivers"


def test_a_bad_document_is_a_400_naming_the_field(mine):
    document = _document(targets=[{"name": "Kazakhmys", "channels": [{"kind": "fax", "value": "768247"}]}])
    response = mine.post("/api/v1/campaigns/", document, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["targets[0].channels[0].value"]
    assert not m.Campaign.objects.filter(slug="new-appeal").exists()


@pytest.mark.parametrize(
    ("action", "field"),
    [
        ({"represents": 2**40}, "actions[0].represents"),
        ({"organisations": ["a" * 301]}, "actions[0].organisations[0]"),
        ({"supporter": {"email": "a" * 250 + "@example.org"}}, "actions[0].supporter.email"),
        ({"channel": {"kind": "fax", "value": "1\x002"}}, "actions[0].channel.value"),
    ],
)
def test_documents_beyond_what_the_database_holds_are_400_not_500(mine, action, field):
    document = _document(actions=[{"kind": "letter", "date": "2011-09-06", **action}])
    response = mine.post("/api/v1/campaigns/", document, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_document_that_is_not_an_object_is_a_400(mine):
    response = mine.post("/api/v1/campaigns/", [1, 2], format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["a campaign document must be a JSON object."]}


def test_a_document_cannot_change_another_organisations_details(mine, foundry, organisation):
    imf = "International Metalworkers' Federation"
    document = _document(organisations=[{"name": imf, "short_name": "XXX", "role": "supporter"}])
    response = mine.post("/api/v1/campaigns/", document, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["organisations[0].short_name"]
    assert m.Organisation.objects.get(name=imf).short_name == "IMF"
    # Naming it (or repeating its details) is fine; so is changing one's own organisation.
    document["organisations"] = [
        {"name": imf, "short_name": "IMF", "role": "supporter"},
        {"name": organisation.name, "short_name": "WMK", "role": "issuer"},
    ]
    assert mine.post("/api/v1/campaigns/", document, format="json").status_code == 201
    assert m.Organisation.objects.get(pk=organisation.pk).short_name == "WMK"


def test_organiser_replaces_their_campaign_with_a_document(mine, foundry):
    document = mine.get(f"/api/v1/campaigns/{FOUNDRY}/").json()
    document["title"] = "Foundry workers win"
    document["status"] = "won"
    response = mine.put(f"/api/v1/campaigns/{FOUNDRY}/", document, format="json")
    assert response.status_code == 200, response.json()
    foundry.refresh_from_db()
    assert (foundry.title, foundry.status) == ("Foundry workers win", "won")
    assert response.json()["title"] == "Foundry workers win"


def test_put_keeps_the_slug(mine, foundry):
    response = mine.put(f"/api/v1/campaigns/{FOUNDRY}/", _document("renamed"), format="json")
    assert response.status_code == 400 and "slug" in response.json()
    assert not m.Campaign.objects.filter(slug="renamed").exists()


def test_put_without_a_slug_uses_the_campaigns(mine, foundry):
    document = _document()
    del document["slug"]
    assert mine.put(f"/api/v1/campaigns/{FOUNDRY}/", document, format="json").status_code == 200
    assert m.Campaign.objects.get(slug=FOUNDRY).title == "Free the drivers"


def test_outsider_cannot_replace_our_campaigns(theirs, foundry, draft):
    assert theirs.put(f"/api/v1/campaigns/{FOUNDRY}/", _document(FOUNDRY), format="json").status_code == 403
    assert theirs.put("/api/v1/campaigns/secret-draft/", _document("secret-draft"), format="json").status_code == 404
    assert m.Campaign.objects.get(slug=FOUNDRY).title != "Free the drivers"


def test_campaign_filters(anon, seeds):
    other = CampaignFactory(slug="in-britain", country="GB", sector="transport")
    assert [c["slug"] for c in anon.get("/api/v1/campaigns/?country=GB").json()["results"]] == [other.slug]
    assert [c["slug"] for c in anon.get("/api/v1/campaigns/?sector=Transport").json()["results"]] == [other.slug]
    owner = m.Organisation.objects.get(name="International Metalworkers' Federation")
    assert [c["slug"] for c in anon.get(f"/api/v1/campaigns/?owner={owner.pk}").json()["results"]] == [MANGYSTAU]
    slugs = [c["slug"] for c in anon.get("/api/v1/campaigns/?ordering=slug").json()["results"]]
    assert slugs == sorted(slugs)


@pytest.mark.parametrize(
    "query",
    ["country=XX", "status=sleeping", "deadline_after=yesterday", "owner=abc", "modified_since=soon", "organisation=99999"],
)
def test_unreadable_campaign_filters_are_400(anon, seeds, query):
    response = anon.get(f"/api/v1/campaigns/?{query}")
    assert response.status_code == 400
    # A range (deadline_after, deadline_before) reports under its name (deadline).
    assert any(query.startswith(field) for field in response.json())


def test_modified_since_reads_any_utc_offset(anon, seeds):
    # PostgreSQL refuses offsets beyond 15:59; the filter compares in UTC, so none reaches it.
    for value in ["0116-03-25T21:03:27+19:36", "2011-09-06T00:00:00-23:59", "2011-09-06T12:00:00+00:00"]:
        response = anon.get("/api/v1/campaigns/", {"modified_since": value})
        assert response.status_code == 200, (value, response.content)
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).astimezone(dt.timezone(dt.timedelta(hours=19, minutes=36)))
    assert anon.get("/api/v1/campaigns/", {"modified_since": later.isoformat()}).json()["results"] == []


def test_modified_since_that_leaves_the_calendar_in_utc_is_400(anon, seeds):
    response = anon.get("/api/v1/campaigns/", {"modified_since": "0001-01-01T00:00:00+10:00"})
    assert response.status_code == 400
    assert "modified_since" in response.json()


def test_null_characters_in_a_filter_are_400(anon, seeds):
    response = anon.get("/api/v1/campaigns/", {"sector": "a\x00b"})
    assert response.status_code == 400


def test_totals(anon, foundry, supporter_action):
    ActionFactory(campaign=foundry, kind="fax", represents=300, country="KZ")
    action_tallies_rebuild(campaign=foundry)  # factories bypass action_record, which keeps the tallies
    response = anon.get(f"/api/v1/campaigns/{FOUNDRY}/totals/")
    assert response.status_code == 200
    totals = response.json()
    assert totals["campaign"] == FOUNDRY
    assert (totals["actions"], totals["represents"], totals["countries"]) == (2, 301, 2)
    assert totals["by_kind"] == {"email": 1, "fax": 1}
    assert {t["name"]: t["actions"] for t in totals["by_target"]}["Kazakhmys"] == 1


# -- the parts of a campaign -------------------------------------------------------------------------

PARTS = {
    "targets": "Draft target",
    "demands": "Draft demand",
    "people": "Draft person",
    "events": "Draft event",
    "updates": "Draft update",
    "actions": "secret-draft",
    "responses": "Draft response",
}


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize(("who", "sees_draft"), [("anon", False), ("theirs", False), ("mine", True)])
def test_parts_of_drafts_are_seen_only_by_their_organisers(request, seeds, draft, part, who, sees_draft):
    client = request.getfixturevalue(who)
    response = client.get(f"/api/v1/{part}/?page_size=100")
    assert response.status_code == 200
    assert (PARTS[part] in response.content.decode()) is sees_draft
    assert {row["campaign"] for row in response.json()["results"]} <= {FOUNDRY, MANGYSTAU, "secret-draft"}
    row = {
        "targets": draft.targets,
        "demands": draft.demands,
        "people": draft.people,
        "events": draft.events,
        "updates": draft.updates,
        "actions": draft.actions,
        "responses": draft.responses,
    }[part].get()
    assert client.get(f"/api/v1/{part}/{row.pk}/").status_code == (200 if sees_draft else 404)


@pytest.mark.parametrize("part", PARTS)
def test_parts_filter_by_campaign_and_pin_query_counts(anon, seeds, part, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = anon.get(f"/api/v1/{part}/", {"campaign": MANGYSTAU})
    assert response.status_code == 200
    assert {row["campaign"] for row in response.json()["results"]} <= {MANGYSTAU}
    assert anon.get(f"/api/v1/{part}/", {"campaign": "no-such-campaign"}).status_code == 400


def test_a_draft_cannot_be_named_in_a_filter_by_outsiders(theirs, mine, draft):
    assert theirs.get("/api/v1/targets/", {"campaign": "secret-draft"}).status_code == 400
    assert mine.get("/api/v1/targets/", {"campaign": "secret-draft"}).json()["count"] == 1


def test_targets_show_channels_and_keep_masked_ones_valueless(anon, foundry):
    response = anon.get("/api/v1/targets/", {"campaign": FOUNDRY, "role": "target"})
    (kazakhmys,) = response.json()["results"]
    assert kazakhmys["name"] == "Kazakhmys"
    fax = next(c for c in kazakhmys["channels"] if c["kind"] == "fax")
    assert fax["e164"] == "+73102768247"
    masked = [c for c in kazakhmys["channels"] if c["masked"]]
    assert masked and all(c["value"] is None for c in masked)


def test_people_at_risk_with_history(anon, foundry):
    people = anon.get("/api/v1/people/", {"campaign": FOUNDRY}).json()["results"]
    assert "Ivan Bulgakov" in {p["name"] for p in people}


@pytest.mark.parametrize(("who", "sees_draft"), [("anon", False), ("theirs", False), ("mine", True)])
def test_organisations_are_those_of_visible_campaigns(request, seeds, draft, who, sees_draft):
    client = request.getfixturevalue(who)
    hidden = m.Organisation.objects.create(name="Only in a draft")
    draft.campaign_organisations.create(organisation=hidden, role="supporter")
    names = {o["name"] for o in client.get("/api/v1/organisations/?page_size=100").json()["results"]}
    assert "Workers' Movement of Kazakhstan" in names
    assert ("Only in a draft" in names) is sees_draft
    assert client.get(f"/api/v1/organisations/{hidden.pk}/").status_code == (200 if sees_draft else 404)


# -- actions -----------------------------------------------------------------------------------------


def test_anonymous_supporter_records_an_action_and_never_sees_details_again(anon, foundry):
    body = {
        "campaign": FOUNDRY,
        "kind": "email",
        "targets": ["Kazakhmys"],
        "text": "Nationalise the foundry.",
        "country": "gb",
        "supporter": {"name": "Ann Secret", "email": SECRET_EMAIL, "consent_updates": True},
    }
    response = anon.post("/api/v1/actions/", body, format="json")
    assert response.status_code == 202, response.json()
    data = response.json()
    assert "id" not in data and "created" not in data and "supporter" not in data, "a receipt of what was sent"
    assert data["targets"][0]["name"] == "Kazakhmys" and data["consent_confirmation"] is True
    action = m.Action.objects.get(supporter__email=SECRET_EMAIL)
    assert (action.supporter.email, action.supporter.consent_updates) == (SECRET_EMAIL, False), "until confirmed by email"
    assert str(action.country) == "GB"
    assert m.Delivery.objects.get(purpose="confirmation").to == [SECRET_EMAIL]
    assert SECRET_EMAIL not in anon.get(f"/api/v1/actions/{action.pk}/").content.decode()


@pytest.mark.parametrize(("who", "sees"), [("anon", False), ("theirs", False), ("mine", True)])
def test_action_list_shows_supporters_only_to_the_organiser(request, supporter_action, who, sees):
    client = request.getfixturevalue(who)
    body = client.get("/api/v1/actions/", {"campaign": FOUNDRY}).content.decode()
    assert (SECRET_EMAIL in body) is sees
    detail = client.get(f"/api/v1/actions/{supporter_action.pk}/").json()
    assert (detail["supporter"] is not None) is sees
    assert detail["by"] == ("Ann Secret" if sees else "a supporter")


def test_action_filters(anon, foundry, supporter_action):
    old = ActionFactory(campaign=foundry, kind="fax", date=dt.date(2011, 9, 6), country="KZ")
    assert [a["id"] for a in anon.get("/api/v1/actions/", {"kind": "fax"}).json()["results"]] == [old.pk]
    assert [
        a["id"] for a in anon.get("/api/v1/actions/", {"date_before": "2012-01-01", "campaign": FOUNDRY}).json()["results"]
    ] == [old.pk]
    assert [a["id"] for a in anon.get("/api/v1/actions/", {"country": "GB"}).json()["results"]] == [supporter_action.pk]
    kazakhmys = foundry.targets.get(name="Kazakhmys")
    assert [a["id"] for a in anon.get("/api/v1/actions/", {"target": kazakhmys.pk}).json()["results"]] == [supporter_action.pk]
    for query in ({"kind": "telegram"}, {"date_after": "2011-02-30"}, {"target": "x"}, {"country": "Narnia"}):
        assert anon.get("/api/v1/actions/", query).status_code == 400


def test_actions_list_query_count_does_not_grow(anon, foundry, django_assert_max_num_queries):
    kazakhmys = foundry.targets.get(name="Kazakhmys")
    for _ in range(20):
        ActionFactory(campaign=foundry).targets.set([kazakhmys])
    with django_assert_max_num_queries(8):
        response = anon.get("/api/v1/actions/?page_size=100")
    assert len(response.json()["results"]) >= 20
    assert "count" not in response.json(), "no total: counting every action would grow with them"


def test_actions_are_listed_page_after_page_by_cursor(anon, foundry):
    for _ in range(7):
        ActionFactory(campaign=foundry)
    expected = list(m.Action.objects.filter(campaign=foundry).order_by("-created", "-id").values_list("pk", flat=True))
    seen, url = [], f"/api/v1/actions/?campaign={foundry.slug}&page_size=3"
    while url:
        page = anon.get(url).json()
        seen += [a["id"] for a in page["results"]]
        url = page["next"]
    assert seen == expected
    assert anon.get("/api/v1/actions/", {"cursor": "not-a-cursor"}).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "telegram"}, "kind"),
        ({"targets": ["Nobody"]}, "targets"),
        ({"targets": [True]}, "targets"),
        ({"represents": 0}, "represents"),
        ({"represents": 2**40}, "represents"),
        ({"date": "2999-01-01"}, "date"),
        ({"campaign": "secret-draft"}, "campaign"),
        ({"campaign": "bad\x00slug"}, "campaign"),
        ({"channel": 999999}, "channel"),
        ({"supporter": {"consent_updates": True}}, "supporter"),
        ({"supporter": {"email": "not-an-email"}}, "supporter"),
        ({"organisations": ["Workers' Movement of Kazakhstan"]}, "organisations"),
        ({"signatories": [{"name": "Ann"}]}, "signatories"),
    ],
)
def test_bad_actions_are_400_naming_the_field(anon, foundry, draft, changes, field):
    response = anon.post("/api/v1/actions/", {"campaign": FOUNDRY, "kind": "email", **changes}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not m.Action.objects.filter(campaign=foundry).exists()


def test_organiser_records_an_action_for_organisations(mine, foundry):
    kazakhmys = foundry.targets.get(name="Kazakhmys")
    fax = kazakhmys.channels.get(kind="fax")
    body = {
        "campaign": FOUNDRY,
        "kind": "fax",
        "targets": [kazakhmys.pk],
        "channel": fax.pk,
        "organisations": ["Workers' Movement of Kazakhstan"],
        "signatories": [{"name": "Ainur Kurmanov", "title": "President"}],
        "represents": 5000,
        "reference": "WMK/1",
    }
    response = mine.post("/api/v1/actions/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["organisations"] == ["Workers' Movement of Kazakhstan"] and data["channel"]["id"] == fax.pk
    assert data["signatories"] == [{"name": "Ainur Kurmanov", "title": "President", "organisation": ""}]


def test_outsider_records_an_action_as_a_supporter_but_not_for_organisations(theirs, foundry):
    body = {"campaign": FOUNDRY, "kind": "motion", "supporter": {"name": "Branch 9"}}
    assert theirs.post("/api/v1/actions/", body, format="json").status_code == 202
    body["organisations"] = ["Another Federation"]
    assert theirs.post("/api/v1/actions/", body, format="json").status_code == 400


def test_anonymous_posts_are_rate_limited(anon, mine, foundry, settings):
    settings.API_SUPPORTER_ACTIONS_RATE = "2/minute"
    body = {"campaign": FOUNDRY, "kind": "email"}
    assert [anon.post("/api/v1/actions/", body, format="json").status_code for _ in range(3)] == [202, 202, 429]
    assert mine.post("/api/v1/actions/", body, format="json").status_code == 201
    assert anon.get("/api/v1/actions/").status_code == 200
    # A client cannot pass for another by saying it is forwarded.
    spoofed = anon.post("/api/v1/actions/", body, format="json", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert spoofed.status_code == 429


# -- responses and people's status ---------------------------------------------------------------------


def test_recording_responses(anon, theirs, mine, foundry):
    body = {"campaign": FOUNDRY, "target": "Kazakhmys", "classification": "refused", "summary": "They refused."}
    assert anon.post("/api/v1/responses/", body, format="json").status_code == 401
    assert theirs.post("/api/v1/responses/", body, format="json").status_code == 403
    response = mine.post("/api/v1/responses/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["target"]["name"] == "Kazakhmys"
    assert anon.get("/api/v1/responses/", {"campaign": FOUNDRY}).json()["count"] == 1
    bad = mine.post("/api/v1/responses/", {**body, "classification": "maybe"}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"classification"}
    bad = mine.post("/api/v1/responses/", {**body, "target": "Nobody", "action": 12345}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"target", "action"}


def test_setting_a_persons_status(anon, theirs, mine, foundry):
    person = foundry.people.get(name="Ivan Bulgakov")
    url = f"/api/v1/people/{person.pk}/status/"
    body = {"status": "detained", "date": "--07-10", "text": "Arrested at the gate."}
    assert anon.post(url, body, format="json").status_code == 401
    assert theirs.post(url, body, format="json").status_code == 403
    response = mine.post(url, body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "detained"
    assert response.json()["history"][-1]["date"] == "--07-10"
    assert mine.post(url, {"status": "detained", "date": "July"}, format="json").status_code == 400


# -- authentication and errors -------------------------------------------------------------------------


def test_a_wrong_token_is_401(foundry):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/campaigns/").status_code == 401


def test_the_osdi_header_carries_the_same_token(organiser, draft):
    client = APIClient()
    client.credentials(HTTP_OSDI_API_TOKEN=api_token_create(user=organiser).key)
    assert client.get("/api/v1/campaigns/secret-draft/").status_code == 200


def test_errors_are_json(anon, foundry):
    malformed = anon.post("/api/v1/actions/", data="{not json", content_type="application/json")
    assert malformed.status_code == 400 and "detail" in malformed.json()
    form = anon.post("/api/v1/actions/", data={"kind": "email"}, format="multipart")
    assert form.status_code == 415 and "detail" in form.json()
    missing = anon.get("/api/v1/no-such-thing/")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}
    assert anon.get("/api/v1/targets/abc/").json() == {"detail": "Not found."}
    assert anon.get("/api/v1/campaigns/?page=999").status_code == 404


def test_create_api_token_command(organiser):
    out = io.StringIO()
    call_command("create_api_token", "organiser", stdout=out)
    key = out.getvalue().strip()
    assert Token.objects.get(user=organiser).key == key
    call_command("create_api_token", "organiser", stdout=(again := io.StringIO()))
    assert again.getvalue().strip() == key
    call_command("create_api_token", "organiser", "--reset", stdout=(reset := io.StringIO()))
    assert reset.getvalue().strip() != key
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("create_api_token", "nobody")


def test_schema_and_docs_are_served_without_a_cdn(anon, db):
    schema = anon.get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert "/api/v1/campaigns/{slug}/" in schema.json()["paths"]
    assert "/api/osdi/v1/advocacy_campaigns/{slug}/record_outreach_helper" in schema.json()["paths"]
    for page in ("/api/docs/", "/api/redoc/"):
        html = anon.get(page).content.decode()
        assert "drf_spectacular_sidecar" in html
        assert "cdn" not in html.lower() and "unpkg" not in html.lower()
