"""Supporters' pages, tried as an anonymous visitor: campaigns, taking and recording actions, letters, thanks."""

import datetime as dt
import io
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from campaigns import models as m
from campaigns.services.actions import action_record

from ..factories import ActionFactory, CampaignFactory, ChannelFactory, OrganisationFactory, SupporterFactory, TargetFactory


@pytest.fixture
def company(campaign):
    target = TargetFactory(campaign=campaign, name="Kazakhmys", title="", salutation="", country="KZ")
    ChannelFactory(target=target, kind="fax", value="007-3102-768247", e164="+73102768247")
    ChannelFactory(target=target, kind="email", value="office@kazakhmys.example")
    return target


@pytest.fixture
def copy_to(campaign):
    target = TargetFactory(campaign=campaign, name="Workers' Movement", role="copy_to")
    ChannelFactory(target=target, kind="email", value="wmk@example.org")
    ChannelFactory(target=target, kind="email", value="", masked=True)
    return target


def _url(name, campaign, *args):
    return reverse(f"campaigns:{name}", args=[campaign.slug, *args])


def _submission(response) -> str:
    return re.search(r'name="submission" value="(\w+)"', response.content.decode())[1]


def _act(client, campaign, path, targets, **data):
    form = {
        "path": path, "targets": [t.pk for t in targets], "channel": "email", "subject": "Stop it",
        "text": "I protest, as a nurse from Leeds.", "submission": "s-" + path, **data,
    }  # fmt: skip
    return client.post(_url("act", campaign), form)


# --- The campaign list ------------------------------------------------------------------------


def test_list_shows_published_campaigns_active_first_with_totals(client, campaign, company):
    won = CampaignFactory(title="An old victory", status="won", country="BR")
    CampaignFactory(title="A secret draft", status="draft")
    action_record(campaign=campaign, kind="fax", targets=[company], country="GB", represents=10)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "A secret draft" not in html
    assert html.index(campaign.title) < html.index(won.title)
    assert re.search(r"<strong>1</strong>\s*action\s*·\s*<strong>10</strong>\s*people\s*·\s*<strong>1</strong>\s*country", html)


def test_list_searches_and_filters(client, campaign):
    CampaignFactory(title="Brazilian dockers", country="BR", status="active")
    CampaignFactory(title="Closed case", country="BR", status="closed")
    html = client.get("/", {"q": "docker"}).content.decode()
    assert "Brazilian dockers" in html and campaign.title not in html
    html = client.get("/", {"country": "BR", "status": "closed"}).content.decode()
    assert "Closed case" in html and "Brazilian dockers" not in html
    html = client.get("/", {"country": "ZZ", "q": "docker"}).content.decode()  # not a choice: ignored
    assert "Brazilian dockers" in html and campaign.title not in html


def test_list_query_count_does_not_grow(client, campaign, company, django_assert_max_num_queries):
    for i in range(3):
        CampaignFactory(title=f"Campaign {i}")
    with django_assert_max_num_queries(5) as first:
        client.get("/")
    for i in range(20):
        action_record(campaign=campaign, kind="email", targets=[company], country="GB" if i % 2 else "FR")
        CampaignFactory(title=f"More {i}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/")


# --- The campaign page ------------------------------------------------------------------------


def test_campaign_page_shows_targets_channels_and_masked_addresses(client, campaign, company, copy_to):
    m.Demand.objects.create(campaign=campaign, text="Nationalise the foundry", status="partly_met", date="2011-10")
    m.Person.objects.create(campaign=campaign, name="Ivan Bulgakov", role="union leader", status="detained")
    m.Event.objects.create(campaign=campaign, date="--07-01", text="Dismantling begins")
    m.Update.objects.create(campaign=campaign, title="Bulgakov detained", date=dt.date(2026, 11, 1))
    html = client.get(_url("campaign", campaign)).content.decode()
    for text in (
        "Kazakhmys", "007-3102-768247", "+73102768247", "office@kazakhmys.example", "Workers&#x27; Movement",
        "wmk@example.org", "address not yet known", "Nationalise the foundry", "Partly met", "October 2011",
        "Ivan Bulgakov", "Detained", "1 July (year unknown)", "Bulgakov detained", campaign.message_body,
    ):  # fmt: skip
        assert text in html, text
    assert "deadline" not in html.lower() or "has passed" not in html


def test_campaign_page_shows_totals_but_never_supporters(client, campaign, company):
    supporter = SupporterFactory(name="Secret Name", email="secret@example.net", organisation="Secret Org")
    action_record(campaign=campaign, kind="fax", targets=[company], supporter=supporter, country="GB", represents=25)
    html = client.get(_url("campaign", campaign)).content.decode()
    assert 'data-total="actions">1<' in html and 'data-total="people">25<' in html and "United Kingdom" in html
    for secret in ("Secret Name", "secret@example.net", "Secret Org"):
        assert secret not in html
    fragment = client.get(_url("totals", campaign)).content.decode()
    assert 'data-total="actions">1<' in fragment and "Secret" not in fragment


def test_a_past_deadline_shows_a_notice_but_acting_still_works(client, campaign, company):
    campaign.deadline = dt.date.today() - dt.timedelta(days=3)
    campaign.save()
    for name in ("campaign", "act", "record"):
        assert "has passed" in client.get(_url(name, campaign)).content.decode(), name
    response = client.post(
        _url("record", campaign), {"kind": "call", "date": dt.date.today().isoformat(), "represents": 1, "submission": "x"}
    )
    assert response.status_code == 302


def test_drafts_are_hidden_from_the_public(client, organisation):
    draft = CampaignFactory(status="draft", owner=organisation)
    for name in ("campaign", "act", "record", "totals"):
        assert client.get(_url(name, draft)).status_code == 404


def test_campaign_page_query_count_does_not_grow(client, campaign, company, copy_to, django_assert_max_num_queries):
    m.Person.objects.create(campaign=campaign, name="Ivan Bulgakov")
    action_record(campaign=campaign, kind="letter", targets=[company], organisations=[OrganisationFactory()])
    with django_assert_max_num_queries(15) as first:
        client.get(_url("campaign", campaign))
    for i in range(25):
        action_record(campaign=campaign, kind="fax" if i % 2 else "email", targets=[company], country="GB")
        action_record(campaign=campaign, kind="letter", targets=[company], organisations=[OrganisationFactory()])
        m.Person.objects.create(campaign=campaign, name=f"Person {i}")
        m.Demand.objects.create(campaign=campaign, text=f"Demand {i}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(_url("campaign", campaign))


# --- Taking action ----------------------------------------------------------------------------


def test_the_action_form_starts_from_the_model_message(client, campaign, company):
    html = client.get(_url("act", campaign)).content.decode()
    assert campaign.message_body in html and campaign.message_subject in html
    assert "Targets filter out identical messages" in html
    assert f'value="{company.pk}"' in html and "checked" in html
    assert "Send it from here" in html


def test_send_it_from_here_emails_the_targets_after_commit(
    client, campaign, company, copy_to, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(
            client, campaign, "send", [company], name="Ann Smith", organisation="Unison Leeds", email="ann@example.net"
        )
    assert response.status_code == 302
    action = m.Action.objects.get()
    assert (action.kind, action.via, list(action.targets.all()), action.copies_sent) == ("email", "platform", [company], True)
    delivery = action.deliveries.get()
    assert delivery.state == "sent"
    [message] = mail.outbox
    assert message.to == ["office@kazakhmys.example"] and message.cc == ["wmk@example.org"]
    assert message.reply_to == ["ann@example.net"] and message.subject == "Stop it"
    assert message.from_email == "Solidarity action tracker <noreply@localhost>"
    assert "I protest, as a nurse from Leeds.\n\nAnn Smith\nUnison Leeds" in message.body
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you" in thanks and 'data-total="actions">1<' in thanks and 'data-delivery-state="sent"' in thanks


def test_send_it_from_here_without_a_known_email_keeps_the_input(client, campaign):
    target = TargetFactory(campaign=campaign, name="Kazakhmys")
    ChannelFactory(target=target, kind="email", value="", masked=True)
    page = client.get(_url("act", campaign)).content.decode()
    assert "Sending from here is not possible yet" in page and 'value="send"' not in page
    response = _act(client, campaign, "send", [target], name="Ann Smith", text="My own words")
    html = response.content.decode()
    assert response.status_code == 200
    assert "No email address is known yet for Kazakhmys" in html
    assert "My own words" in html and 'value="Ann Smith"' in html
    assert not m.Action.objects.exists() and mail.outbox == []


def test_sending_twice_counts_once_and_sends_once(client, campaign, company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, campaign, "send", [company], email="ann@example.net", submission="a")
        again = _act(client, campaign, "send", [company], email="ANN@example.net", submission="b")
    assert m.Action.objects.count() == 1 and len(mail.outbox) == 1
    assert "you had already done this" in client.get(again["Location"]).content.decode()


def test_send_it_yourself_gives_a_mailto_link_then_i_did_this_records_it(client, campaign, company, copy_to):
    response = _act(client, campaign, "yourself", [company], name="Ann Smith", text="Free them.\nNow.")
    html = response.content.decode()
    link = re.search(r'id="mailto"|href="(mailto:[^"]+)" id="mailto"', html)
    href = re.search(r'href="(mailto:[^"]+)" id="mailto"', html)[1].replace("&amp;", "&")
    parts = urlsplit(href)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert link and unquote(parts.path) == "office@kazakhmys.example"
    assert query["cc"] == "wmk@example.org" and query["subject"] == "Stop it"
    assert query["body"] == "Free them.\r\nNow.\r\n\r\nAnn Smith"
    assert not m.Action.objects.exists(), "nothing counts before 'I did this'"
    token = re.search(r'name="token" value="([^"]+)"', html)[1]
    done = client.post(_url("act_done", campaign), {"token": token})
    assert done.status_code == 302
    action = m.Action.objects.get()
    assert (action.kind, action.via, action.channel.value) == ("email", "recorded", "office@kazakhmys.example")
    assert action.supporter.name == "Ann Smith"
    client.post(_url("act_done", campaign), {"token": token})
    assert m.Action.objects.count() == 1, "clicking twice counts once"


def test_send_it_yourself_by_fax_shows_the_number(client, campaign, company):
    html = _act(client, campaign, "yourself", [company], channel="fax").content.decode()
    assert "007-3102-768247" in html and "I did this" in html
    token = re.search(r'name="token" value="([^"]+)"', html)[1]
    client.post(_url("act_done", campaign), {"token": token})
    assert m.Action.objects.get().kind == "fax"


def test_send_it_yourself_by_an_unknown_way_says_so_beside_the_field(client, campaign, company):
    html = _act(client, campaign, "yourself", [company], channel="postal").content.decode()
    assert re.search(r'id="id_channel_error"[^>]*><li>No letter by post address is known yet for Kazakhmys\. Try email', html)


def test_a_tampered_step_records_nothing(client, campaign, company):
    response = client.post(_url("act_done", campaign), {"token": "forged:token"})
    assert response.status_code == 400 and not m.Action.objects.exists()


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_print_it_makes_a_pdf_letter_then_records_it(client, campaign, company):
    company.title, company.salutation = "Chief executive", ""
    company.save()
    html = _act(client, campaign, "print", [company], name="Ann Smith", organisation="Unison Leeds").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html)[1]
    response = client.post(_url("letter", campaign), {"token": token})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    today = dt.date.today().strftime("%B %Y")
    for expected in ("Kazakhmys", "Chief executive", "Fax: +73102768247", "Dear Sir or Madam,", "Stop it",
                     "I protest, as a nurse from Leeds.", "Ann Smith", "Unison Leeds", today):  # fmt: skip
        assert expected in text, expected
    assert not m.Action.objects.exists()
    client.post(_url("act_done", campaign), {"token": token, "way": "postal"})
    assert m.Action.objects.get().kind == "letter"


def test_a_letter_uses_the_postal_address_and_the_targets_salutation(client, campaign):
    president = TargetFactory(campaign=campaign, name="Nursultan Nazarbaev", salutation="Dear Mr. President", title="President")
    ChannelFactory(target=president, kind="postal", value="Akorda, Astana, 010000, Kazakhstan")
    response = client.post(
        _url("letter", campaign),
        {"path": "print", "targets": [president.pk], "channel": "postal", "text": "Investigate now.", "submission": "x"},
    )
    text = _pdf_text(response.content)
    assert "Akorda\nAstana\n010000\nKazakhstan" in text and "Dear Mr. President," in text


def test_a_message_with_its_own_salutation_gets_no_second_one(client, campaign, company):
    response = client.post(
        _url("letter", campaign),
        {"path": "print", "targets": [company.pk], "channel": "fax", "text": "To Kazakhmys,\n\nStop.", "submission": "x"},
    )
    text = _pdf_text(response.content)
    assert "To Kazakhmys," in text and "Dear Sir or Madam" not in text


# --- Recording what was done elsewhere ---------------------------------------------------------


def test_the_record_form_offers_today_in_iso_for_the_date_picker(client, campaign):
    html = client.get(_url("record", campaign)).content.decode()
    assert f'type="date" name="date" value="{dt.date.today().isoformat()}"' in html


def test_record_an_action_with_consent(client, campaign, company):
    response = client.post(
        _url("record", campaign),
        {
            "kind": "motion", "targets": [company.pk], "date": "2026-01-05", "represents": "320", "name": "Ann Smith",
            "organisation": "Unison Leeds branch", "country": "GB", "email": "ann@example.net", "consent_updates": "on",
            "text": "The branch passed a motion.", "submission": "abc",
        },
    )  # fmt: skip
    assert response.status_code == 302
    action = m.Action.objects.get()
    assert (action.kind, action.represents, action.date, str(action.country)) == ("motion", 320, dt.date(2026, 1, 5), "GB")
    supporter = action.supporter
    assert supporter.consent_updates and supporter.consented_at and supporter.organisation == "Unison Leeds branch"
    html = client.get(response["Location"]).content.decode()
    assert 'data-total="people">320<' in html and reverse("campaigns:campaign", args=[campaign.slug]) in html


def test_bad_input_re_renders_with_errors_beside_fields_and_nothing_lost(client, campaign, company):
    future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    response = client.post(
        _url("record", campaign),
        {"kind": "telegram", "date": future, "represents": "0", "name": "Ann Smith", "consent_updates": "on",
         "text": "We picketed the embassy.", "organisation": "Unison"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and not m.Action.objects.exists()
    for field in ("kind", "date", "represents", "email"):
        assert f'id="id_{field}_error"' in html, field
        assert re.search(rf'id="id_{field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="id_{field}"', html), field
    assert "Give an email address to receive updates" in html
    assert re.search(r'<select name="kind"[^>]*autofocus', html), "the first field to correct has the focus"
    assert "We picketed the embassy." in html and 'value="Ann Smith"' in html and 'value="Unison"' in html
    assert f'value="{future}"' in html


def test_a_repeat_record_says_it_counts_once(client, campaign, company):
    data = {"kind": "fax", "targets": [company.pk], "date": dt.date.today().isoformat(), "represents": 1, "email": "a@b.org"}
    client.post(_url("record", campaign), {**data, "submission": "1"})
    response = client.post(_url("record", campaign), {**data, "submission": "2"})
    html = client.get(response["Location"]).content.decode()
    assert "you had already done this" in html and "counts once" in html and m.Action.objects.count() == 1


def test_a_supporters_email_is_reused_within_a_campaign_only(client, campaign, company):
    other = CampaignFactory()
    for target_campaign in (campaign, campaign, other):
        client.post(
            _url("record", target_campaign),
            {"kind": "call", "date": dt.date.today().isoformat(), "represents": 1, "email": "ann@Example.NET", "name": "Ann"},
        )
    assert m.Supporter.objects.count() == 2
    assert set(m.Supporter.objects.values_list("email", flat=True)) == {"ann@example.net"}


def test_thanks_and_delivery_state_need_a_valid_token(client, campaign):
    assert client.get(_url("thanks", campaign, "nope")).status_code == 404
    assert client.get(_url("delivery_state", campaign, "nope")).status_code == 404


def test_delivery_state_fragment_polls_until_sent(client, campaign, company):
    action = ActionFactory(campaign=campaign)
    delivery = m.Delivery.objects.create(action=action, campaign=campaign, to=["x@example.org"], subject="s", body="b")
    from django.core import signing

    token = signing.dumps({"a": action.pk, "r": 0, "d": delivery.pk}, salt="campaigns.act.thanks")
    html = client.get(_url("delivery_state", campaign, token)).content.decode()
    assert "on its way" in html and "hx-trigger" in html
    m.Delivery.objects.filter(pk=delivery.pk).update(state="sent")
    html = client.get(_url("delivery_state", campaign, token)).content.decode()
    assert 'data-delivery-state="sent"' in html and "hx-trigger" not in html


def test_the_letter_from_a_bad_form_re_renders_it(client, campaign, company):
    response = client.post(_url("letter", campaign), {"path": "print", "targets": [company.pk], "text": ""})
    assert response.status_code == 200 and 'id="id_text_error"' in response.content.decode()
