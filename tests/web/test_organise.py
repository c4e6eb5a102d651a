"""Organisers' pages, tried as the campaign's organiser, an organiser of another organisation and anonymous."""

import csv
import io

import pytest
from django.urls import reverse

from campaigns import models as m
from campaigns.services.actions import action_record
from campaigns.services.delivery import delivery_queue

from ..factories import ChannelFactory, SupporterFactory, TargetFactory


@pytest.fixture
def company(campaign):
    target = TargetFactory(campaign=campaign, name="Kazakhmys")
    ChannelFactory(target=target, kind="email", value="", masked=True)
    return target


@pytest.fixture
def ann_action(campaign, company):
    supporter = SupporterFactory(name="Ann Smith", email="ann@example.net", organisation="Unison Leeds", country="GB")
    return action_record(campaign=campaign, kind="fax", targets=[company], supporter=supporter, country="GB", represents=12)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def _url(name, campaign):
    return reverse(f"campaigns:{name}", args=[campaign.slug])


PAGES = ["dashboard", "actions_csv"]
FORMS = ["response_add", "outcome_set", "status_set", "update_add", "address_add"]


@pytest.mark.parametrize("name", PAGES + FORMS)
def test_anonymous_visitors_are_sent_to_log_in(client, campaign, name):
    response = client.post(_url(name, campaign)) if name in FORMS else client.get(_url(name, campaign))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("name", PAGES + FORMS)
def test_organisers_of_another_organisation_get_404(client, campaign, outsider, ann_action, name):
    client.force_login(outsider)
    response = client.post(_url(name, campaign)) if name in FORMS else client.get(_url(name, campaign))
    assert response.status_code == 404
    assert b"Ann Smith" not in response.content


def test_organise_index_lists_only_my_campaigns(client, campaign, organiser, outsider):
    client.force_login(organiser)
    assert campaign.title in client.get(reverse("campaigns:organise")).content.decode()
    client.force_login(outsider)
    assert campaign.title not in client.get(reverse("campaigns:organise")).content.decode()


def test_dashboard_shows_totals_actions_supporters_and_deliveries(client, campaign, organiser, ann_action, on_commit):
    with on_commit(execute=True):
        delivery_queue(to=["office@kazakhmys.example"], cc=["wmk@example.org"], subject="Stop it", body=".", campaign=campaign)
    client.force_login(organiser)
    response = client.get(_url("dashboard", campaign))
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    assert 'data-total="actions">1<' in html and 'data-total="people">12<' in html
    assert "Ann Smith" in html and "ann@example.net" in html and "Unison Leeds" in html
    assert f'id="action-{ann_action.pk}"' in html
    assert "office@kazakhmys.example" in html and "wmk@example.org" in html and 'data-delivery-state="sent"' in html
    assert "<svg" in html and "Actions per day" in html
    assert "address not yet known" in html


def test_actions_csv_has_every_action_with_the_supporter(client, campaign, organiser, ann_action, company):
    action_record(campaign=campaign, kind="email", targets=[company], text='=HYPERLINK("http://evil")')
    action_record(campaign=campaign, kind="email", targets=[company], text=" \uff1d1+1", subject="\n@SUM(1)")
    client.force_login(organiser)
    response = client.get(_url("actions_csv", campaign))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["kind"] for r in rows] == ["fax", "email", "email"]
    ann = rows[0]
    assert (ann["supporter_name"], ann["supporter_email"], ann["targets"], ann["represents"], ann["country"]) == (
        "Ann Smith", "ann@example.net", "Kazakhmys", "12", "GB",
    )  # fmt: skip
    assert rows[1]["text"].startswith("'="), "a formula a supporter typed is not run by a spreadsheet"
    assert (rows[2]["text"], rows[2]["subject"]) == ("' \uff1d1+1", "'\n@SUM(1)"), "after a space, a line feed, full-width"


def test_record_a_response_without_javascript(client, campaign, organiser, company):
    client.force_login(organiser)
    response = client.post(
        _url("response_add", campaign),
        {"response-target": company.pk, "response-date": "2026-11-20", "response-channel": "fax",
         "response-classification": "refused", "response-summary": "They refuse to talk.", "response-reading": "Escalate."},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"].endswith("#response")
    recorded = m.Response.objects.get()
    assert (recorded.target, recorded.classification, recorded.recorded_by) == (company, "refused", organiser)
    html = client.get(response["Location"]).content.decode()
    assert "The response is recorded." in html and "They refuse to talk." in html and "Refused" in html


def test_a_bad_response_shows_the_dashboard_with_the_errors_and_the_input(client, campaign, organiser, company):
    client.force_login(organiser)
    response = client.post(
        _url("response_add", campaign),
        {"response-target": company.pk, "response-date": "2099-01-01", "response-classification": "angry",
         "response-summary": "Half an answer"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and not m.Response.objects.exists()
    assert 'id="id_response-classification_error"' in html and 'id="id_response-date_error"' in html
    assert "Half an answer" in html and "<details open>" in html


def test_record_a_response_with_htmx_returns_the_section(client, campaign, organiser, company):
    client.force_login(organiser)
    response = client.post(
        _url("response_add", campaign),
        {"response-target": company.pk, "response-date": "2026-11-20", "response-classification": "acknowledged",
         "response-summary": "Received."},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="response"')
    assert "Received." in html and "The response is recorded." in html


def test_set_a_demand_outcome_a_persons_status_and_post_an_update(client, campaign, organiser):
    demand = m.Demand.objects.create(campaign=campaign, text="Nationalise the foundry")
    person = m.Person.objects.create(campaign=campaign, name="Ivan Bulgakov")
    client.force_login(organiser)
    client.post(_url("outcome_set", campaign), {"outcome-demand": demand.pk, "outcome-status": "met", "outcome-date": "2026-11"})
    client.post(
        _url("status_set", campaign),
        {"status-person": person.pk, "status-status": "released", "status-date": "--11-02", "status-text": "Free."},
    )
    client.post(_url("update_add", campaign), {"update-title": "Victory", "update-date": "2026-11-21", "update-text": "Won."})
    demand.refresh_from_db()
    person.refresh_from_db()
    assert (demand.status, demand.date) == ("met", "2026-11")
    assert person.status == "released" and person.history.get().date == "--11-02"
    update = campaign.updates.get()
    assert (update.title, update.author) == ("Victory", organiser)
    public = client.get(reverse("campaigns:campaign", args=[campaign.slug])).content.decode()
    assert "Victory" in public and "Released" in public and "Met" in public


def test_a_bad_partial_date_is_refused_beside_the_field(client, campaign, organiser):
    person = m.Person.objects.create(campaign=campaign, name="Ivan Bulgakov")
    client.force_login(organiser)
    html = client.post(
        _url("status_set", campaign),
        {"status-person": person.pk, "status-status": "detained", "status-date": "8 August"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert 'id="id_status-date_error"' in html and 'value="8 August"' in html
    assert not person.history.exists()


def test_fill_in_a_masked_address(client, campaign, organiser, company):
    client.force_login(organiser)
    client.post(
        _url("address_add", campaign),
        {"address-target": company.pk, "address-kind": "email", "address-value": " office@kazakhmys.example "},
    )
    channel = company.channels.get()
    assert (channel.masked, channel.value) == (False, "office@kazakhmys.example")
    response = client.post(
        _url("address_add", campaign),
        {"address-target": company.pk, "address-kind": "fax", "address-value": "12"},
        headers={"HX-Request": "true"},
    )
    assert 'id="id_address-value_error"' in response.content.decode()
    assert company.channels.count() == 1


def test_dashboard_query_count_does_not_grow(client, campaign, organiser, company, ann_action, django_assert_max_num_queries):
    m.Person.objects.create(campaign=campaign, name="Ivan Bulgakov")
    m.Demand.objects.create(campaign=campaign, text="Nationalise")
    client.force_login(organiser)
    client.get(_url("dashboard", campaign))  # the session and the user are loaded once
    with django_assert_max_num_queries(30) as first:
        client.get(_url("dashboard", campaign))
    for i in range(30):
        supporter = SupporterFactory()
        action_record(campaign=campaign, kind="email", targets=[company], supporter=supporter, country="FR" if i % 2 else "DE")
        m.Delivery.objects.create(campaign=campaign, to=[f"x{i}@example.org"], subject="s", body="b", state="failed")
        m.Response.objects.create(campaign=campaign, target=company, classification="no_answer", summary=f"{i}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(_url("dashboard", campaign))


def test_the_dashboard_shows_actions_per_source_and_the_embed_snippet(client, organiser, campaign, company):
    action_record(campaign=campaign, kind="email", targets=[company], source="whatsapp")
    action_record(campaign=campaign, kind="fax", targets=[company], source="whatsapp", dedupe=False)
    client.force_login(organiser)
    html = client.get(_url("dashboard", campaign)).content.decode()
    assert '<th scope="row">whatsapp</th><td>2</td>' in html
    assert "No site may embed the form yet" in html and "<iframe" not in html
    campaign.embed_origins = "https://union.example"
    campaign.goal = 500
    campaign.save()
    html = client.get(_url("dashboard", campaign)).content.decode()
    assert (
        "&lt;iframe src=&quot;http://testserver/c/foundry/embed/&quot;" in html and "<code>https://union.example</code>" in html
    )
    assert "Goal: 2 of 500 actions." in html


def test_embed_origins_must_be_origins(campaign):
    from django.core.exceptions import ValidationError

    campaign.embed_origins = "https://union.example/page"
    with pytest.raises(ValidationError):
        campaign.full_clean()
    campaign.embed_origins = "https://union.example\nhttp://127.0.0.1:8000"
    campaign.full_clean()
