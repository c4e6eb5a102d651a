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
    for name in ("campaign", "record"):
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
    m.Demand.objects.create(campaign=campaign, text="Free Ivan Bulgakov")  # so that its translations are read from the first
    action_record(campaign=campaign, kind="letter", targets=[company], organisations=[OrganisationFactory()])
    with django_assert_max_num_queries(23) as first:  # 21, and the campaign's and its demands' translations
        client.get(_url("campaign", campaign))
    for i in range(25):
        action_record(campaign=campaign, kind="fax" if i % 2 else "email", targets=[company], country="GB")
        action_record(campaign=campaign, kind="letter", targets=[company], organisations=[OrganisationFactory()])
        m.Person.objects.create(campaign=campaign, name=f"Person {i}")
        m.Demand.objects.create(campaign=campaign, text=f"Demand {i}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(_url("campaign", campaign))


# --- Taking action: the campaign page is the action page ----------------------------------------


def _act(client, campaign, way, targets, **data):
    form = {
        "way": way, "targets": [t.pk for t in targets], "subject": "Stop it",
        "text": "I protest, as a nurse from Leeds.", "submission": "s-" + way, **data,
    }  # fmt: skip
    return client.post(_url("act", campaign), form)


def _buttons(html: str) -> list[tuple[str, str]]:
    """The form's submit buttons: (way, label), the primary first."""
    return [(way, " ".join(label.split())) for way, label in re.findall(r'name="way" value="([\w-]+)"[^>]*>([^<]+)<', html)]


def test_the_campaign_page_holds_the_form_with_one_primary_button_saying_what_happens(client, campaign, company):
    html = client.get(_url("campaign", campaign)).content.decode()
    assert campaign.message_body in html and campaign.message_subject in html
    assert 'id="act"' in html and "Targets filter out identical messages" in html
    assert html.count('class="primary"') == 1
    assert _buttons(html) == [
        ("email", "Send my e-mail to Kazakhmys"),
        ("print", "Print my letter"),
        ("mail-app", "Write it from my own e-mail"),
    ], "no gateway here: no fax offered; no phone known: no call"


def test_the_primary_way_is_only_ever_one_that_can_work(client, campaign, settings):
    target = TargetFactory(campaign=campaign, name="Kazakhmys")
    ChannelFactory(target=target, kind="email", value="", masked=True)
    fax = ChannelFactory(target=target, kind="fax", value="007-3102-768247", e164="+73102768247")
    assert _buttons(client.get(_url("campaign", campaign)).content.decode()) == [("print", "Print my letter")]
    settings.FAX_GATEWAY, settings.FAX_ADDRESS = "memorymail://", "{digits}@fax.example"
    assert _buttons(client.get(_url("campaign", campaign)).content.decode()) == [
        ("fax", "Send my fax to Kazakhmys"),
        ("print", "Print my letter"),
    ]
    fax.delete()
    ChannelFactory(target=target, kind="phone", value="+7 727 000 0000", e164="+77270000000")
    assert _buttons(client.get(_url("campaign", campaign)).content.decode()) == [
        ("call", "Call Kazakhmys"),
        ("print", "Print my letter"),
    ]
    assert 'href="tel:+77270000000"' in client.get(_url("campaign", campaign)).content.decode()


def test_a_fax_number_is_shown_to_copy_never_as_a_phone_link(client, campaign, company):
    html = client.get(_url("campaign", campaign)).content.decode()
    assert "tel:+73102768247" not in html and ">+73102768247</span>" in html and "data-copy" in html


def test_the_old_action_address_leads_to_the_form_on_the_campaign_page(client, campaign, company):
    response = client.get(_url("act", campaign) + "?src=whatsapp")
    assert response.status_code == 302 and response["Location"] == _url("campaign", campaign) + "?src=whatsapp#act"


def test_dates_and_the_notice_for_an_appeal_older_than_a_year(client, campaign, company):
    campaign.issued, campaign.deadline = "2011-09", dt.date(2011, 9, 30)
    campaign.save()
    html = client.get(_url("campaign", campaign)).content.decode()
    assert "September 2011" in html and "30 September 2011" in html and "more than a year old" in html
    m.Update.objects.create(campaign=campaign, title="Still on strike", date=dt.date.today())
    html = client.get(_url("campaign", campaign)).content.decode()
    assert "more than a year" not in html and dt.date.today().strftime("%-d %B %Y") in html


def test_opponents_are_listed_as_involved_not_as_behind_it(client, campaign):
    company = OrganisationFactory(name="Kazakhmys Corp")
    m.CampaignOrganisation.objects.create(campaign=campaign, organisation=company, role="employer")
    issuer = OrganisationFactory(name="Workers Movement")
    m.CampaignOrganisation.objects.create(campaign=campaign, organisation=issuer, role="issuer")
    html = client.get(_url("campaign", campaign)).content.decode()
    involved = html.index("Companies and authorities involved")
    behind = html.index("Who is behind it")
    assert involved < html.index("Kazakhmys Corp") < behind < html.index("Workers Movement", behind)


def test_send_my_email_emails_the_targets_after_commit(client, campaign, company, copy_to, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(client, campaign, "email", [company], name="Ann Smith", email="ann@example.net", src="WhatsApp")
    assert response.status_code == 302 and "/thanks/" in response["Location"]
    action = m.Action.objects.get()
    assert (action.kind, action.via, action.channel.kind, action.source) == ("email", "platform", "email", "whatsapp")
    [message] = mail.outbox
    assert message.to == ["office@kazakhmys.example"] and message.cc == ["wmk@example.org"]
    assert message.reply_to == ["ann@example.net"] and "Ann Smith" in message.body
    html = client.get(response["Location"]).content.decode()
    assert 'data-delivery-state="sent"' in html and "Ask others to act" in html


def test_send_my_email_without_a_known_email_keeps_the_input(client, campaign):
    target = TargetFactory(campaign=campaign, name="Kazakhmys")
    ChannelFactory(target=target, kind="email", value="", masked=True)
    response = _act(client, campaign, "email", [target], text="My own words.")
    html = response.content.decode()
    assert response.status_code == 200 and not m.Action.objects.exists()
    assert "No e-mail address is known yet for Kazakhmys" in html and "My own words." in html


def test_sending_twice_with_one_email_counts_once_and_answers_as_the_first_time(
    client, campaign, company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _act(client, campaign, "email", [company], email="ann@example.net", submission="a")
        again = _act(client, campaign, "email", [company], email="ANN@example.net", submission="b")
    assert m.Action.objects.count() == 1, "the same email acting the same way counts once"
    # Sent again (throttled to the target's pace): not sending would tell anyone the address had acted before.
    assert m.Delivery.objects.filter(purpose="action").count() == 2
    first_page, again_page = (client.get(r["Location"]).content.decode() for r in (first, again))
    assert "you had already done this" not in again_page
    assert _without_state(first_page) == _without_state(again_page)


def _without_state(html: str) -> str:
    """A thanks page less the delivery's live state, the token in its polling URL and the (masked, so
    ever-changing) CSRF token of the language switcher, which differ by design."""
    html = re.sub(r'<div id="delivery-state".*?</div>', "", html, flags=re.S)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r"/thanks/[^/]+/", "/thanks/T/", html)


def test_a_double_click_sends_once(client, campaign, company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, campaign, "email", [company], email="ann@example.net", submission="a")
        _act(client, campaign, "email", [company], email="ann@example.net", submission="a")
        _act(client, campaign, "email", [company], submission="b")
        _act(client, campaign, "email", [company], submission="b")
    assert m.Action.objects.count() == 2 and m.Delivery.objects.filter(purpose="action").count() == 2


def test_own_email_gives_mailto_and_webmail_links_then_i_sent_it_records_it(client, campaign, company, copy_to):
    response = _act(client, campaign, "mail-app", [company], name="Pedro Alves")
    html = response.content.decode()
    link = re.search(r'id="mailto" href="([^"]+)"|href="([^"]+)" id="mailto"', html)
    href = (link[1] or link[2]).replace("&amp;", "&")
    parts = urlsplit(href)
    assert unquote(parts.path) == "office@kazakhmys.example" and parse_qs(parts.query)["cc"] == ["wmk@example.org"]
    gmail = re.search(r'href="(https://mail.google.com/[^"]+)"', html)[1].replace("&amp;", "&")
    query = parse_qs(urlsplit(gmail).query)
    assert query["to"] == ["office@kazakhmys.example"] and query["su"] == ["Stop it"] and "Pedro Alves" in query["body"][0]
    assert "https://outlook.office.com/mail/deeplink/compose?" in html and "Copy the message" in html
    token = re.search(r'name="token" value="([^"]+)"', html)[1]
    response = client.post(_url("act_done", campaign), {"token": token, "done": "mail-app"})
    assert response.status_code == 302
    action = m.Action.objects.get()
    assert (action.kind, action.via, action.channel.kind) == ("email", "recorded", "email")


def test_a_call_shows_a_script_and_records_how_it_went(client, campaign, company):
    ChannelFactory(target=company, kind="phone", value="+7 727 000 0000", e164="+77270000000")
    m.Demand.objects.create(campaign=campaign, text="Nationalise the foundry")
    html = _act(client, campaign, "call", [company], name="Mary").content.decode()
    assert 'href="tel:+77270000000"' in html and "My name is Mary." in html and "Nationalise the foundry" in html
    for value in ("answered", "voicemail", "no_answer", "refused"):
        assert f'name="outcome" value="{value}"' in html
    token = re.search(r'name="token" value="([^"]+)"', html)[1]
    response = client.post(_url("act_done", campaign), {"token": token, "done": "call", "outcome": "voicemail"})
    assert response.status_code == 302
    action = m.Action.objects.get()
    assert (action.kind, action.outcome, action.channel.kind) == ("call", "voicemail", "phone")
    assert "left a voicemail" in client.get(response["Location"]).content.decode()


def test_a_call_without_an_outcome_or_a_tampered_step_records_nothing(client, campaign, company):
    ChannelFactory(target=company, kind="phone", value="+7 727 000 0000", e164="+77270000000")
    html = _act(client, campaign, "call", [company]).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html)[1]
    assert client.post(_url("act_done", campaign), {"token": token, "done": "call"}).status_code == 400
    assert client.post(_url("act_done", campaign), {"token": token, "done": "call", "outcome": "shouted"}).status_code == 400
    assert client.post(_url("act_done", campaign), {"token": token + "x", "done": "fax"}).status_code == 400
    assert not m.Action.objects.exists()


def test_a_way_whose_address_is_unknown_is_refused_beside_the_targets(client, campaign, company):
    html = _act(client, campaign, "call", [company]).content.decode()
    assert "No phone number is known yet for Kazakhmys" in html and not m.Action.objects.exists()
    assert "Choose how to send it" in _act(client, campaign, "pigeon", [company]).content.decode()


def test_print_makes_one_letter_with_one_salutation_and_the_copies_then_records_it(client, campaign, company, copy_to):
    text = "I am a nurse in Leeds.\n\nTo Kazakhmys,\n\nStop the dismantling."
    html = _act(client, campaign, "print", [company], name="Li Wei", text=text).content.decode()
    assert "wmk@example.org" in html, "the copy-to addresses are on the print step"
    assert "I faxed it" in html and "I posted it" not in html, "no postal address known"
    token = re.search(r'name="token" value="([^"]+)"', html)[1]
    response = client.post(_url("letter", campaign), {"token": token})
    assert response["Content-Type"] == "application/pdf"
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert pdf.count("To Kazakhmys,") == 1 and "Dear Sir or Madam" not in pdf
    assert pdf.index("To Kazakhmys,") < pdf.index("I am a nurse in Leeds.")
    assert "Fax: +73102768247" in pdf and "cc: Workers' Movement, wmk@example.org" in pdf and "Li Wei" in pdf
    response = client.post(_url("act_done", campaign), {"token": token, "done": "fax"})
    assert response.status_code == 302 and m.Action.objects.get().kind == "fax"


def test_a_letter_uses_the_postal_address_and_the_targets_salutation(client, campaign):
    president = TargetFactory(campaign=campaign, name="Nursultan Nazarbaev", salutation="Dear Mr. President")
    ChannelFactory(target=president, kind="postal", value="Akorda, Astana, 010000, Kazakhstan")
    html = _act(client, campaign, "print", [president], text="Investigate now.").content.decode()
    assert "I posted it" in html and "I faxed it" not in html
    token = re.search(r'name="token" value="([^"]+)"', html)[1]
    pdf = PdfReader(io.BytesIO(client.post(_url("letter", campaign), {"token": token}).content)).pages[0].extract_text()
    assert "Dear Mr. President," in pdf and "Akorda" in pdf and "010000" in pdf


def test_a_letter_to_a_target_with_no_address_offers_no_way_it_cannot_have_gone(client, campaign):
    president = TargetFactory(campaign=campaign, name="Nursultan Nazarbaev")
    html = _act(client, campaign, "print", [president]).content.decode()
    assert "I handed it in" in html and "I posted it" not in html and "I faxed it" not in html
    token = re.search(r'name="token" value="([^"]+)"', html)[1]
    assert client.post(_url("act_done", campaign), {"token": token, "done": "postal"}).status_code == 400
    response = client.post(_url("act_done", campaign), {"token": token, "done": "hand"})
    assert response.status_code == 302 and m.Action.objects.get().channel is None


def test_the_letter_needs_a_valid_step(client, campaign, company):
    assert client.post(_url("letter", campaign), {"token": "forged"}).status_code == 400


def test_a_referral_code_is_kept_through_the_form_and_counted(client, campaign, company):
    html = client.get(_url("campaign", campaign) + "?src=telegram").content.decode()
    assert 'name="src" value="telegram"' in html
    _act(client, campaign, "mail-app", [company], src="telegram")
    token = re.search(
        r'name="token" value="([^"]+)"', _act(client, campaign, "mail-app", [company], src="telegram").content.decode()
    )[1]
    client.post(_url("act_done", campaign), {"token": token, "done": "mail-app"})
    assert m.Action.objects.get().source == "telegram"
    assert m.ActionTally.objects.filter(campaign=campaign, dimension="source", key="telegram").exists()


def test_thanks_offers_sharing_with_referral_codes(client, campaign, company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(client, campaign, "email", [company])
    html = client.get(response["Location"]).content.decode().replace("&amp;", "&")
    for start in ("https://wa.me/?text=", "https://t.me/share/url?", "https://bsky.app/intent/compose?text=",
                  "https://x.com/intent/post?", "https://www.facebook.com/sharer/sharer.php?u=", "mailto:?"):  # fmt: skip
        assert f'href="{start}' in html, start
    assert "src%3Dwhatsapp" in html and "src%3Dfacebook" in html and "?src=signal" in html
    assert 'data-share-url="http://testserver/c/foundry/?src=link"' in html


def test_campaign_page_has_link_preview_tags_and_a_share_image(client, campaign, company):
    html = client.get(_url("campaign", campaign)).content.decode()
    for tag in ("og:title", "og:description", "og:image", "og:url", "twitter:card", "twitter:image"):
        assert f'"{tag}" content="' in html, tag
    image = re.search(r'property="og:image" content="([^"]+)"', html)[1]
    assert image == "http://testserver/c/foundry/share.png"
    response = client.get(urlsplit(image).path)
    from PIL import Image

    picture = Image.open(io.BytesIO(response.content))
    assert response["Content-Type"] == "image/png" and picture.size == (1200, 630)


def test_goal_and_recent_actions_show_only_kind_country_and_time(client, campaign, company):
    campaign.goal = 100
    campaign.save()
    supporter = SupporterFactory(name="Secret Name", email="secret@example.net")
    action_record(campaign=campaign, kind="fax", targets=[company], supporter=supporter, country="DE", text="Secret words")
    html = client.get(_url("campaign", campaign)).content.decode()
    assert 'max="100" value="1"' in html and "1 of 100 actions" in html
    assert "a fax from Germany, just now" in html
    assert "Secret" not in html


def test_the_embedded_form_may_be_framed_only_by_the_listed_origins(client, campaign, company):
    response = client.get(_url("embed", campaign))
    assert response["Content-Security-Policy"] == "frame-ancestors 'none'" and "X-Frame-Options" not in response
    campaign.embed_origins = "https://union.example\nhttp://127.0.0.1:8001/"
    campaign.save()
    response = client.get(_url("embed", campaign))
    assert response["Content-Security-Policy"] == "frame-ancestors https://union.example http://127.0.0.1:8001"
    assert client.get(_url("campaign", campaign))["X-Frame-Options"] == "DENY"


def test_the_embedded_form_sends_without_a_csrf_cookie(campaign, company, django_capture_on_commit_callbacks):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            _url("embed", campaign), {"way": "email", "targets": [company.pk], "text": "From our branch.", "submission": "e1"}
        )
    assert response.status_code == 302 and "/embed/thanks/" in response["Location"] and len(mail.outbox) == 1
    assert "Content-Security-Policy" in browser.get(response["Location"])
    refused = browser.post(_url("embed", campaign), {"way": "print", "targets": [company.pk], "text": "x"})
    assert refused.status_code == 200 and "Open the campaign page" in refused.content.decode()


# --- Recording what was done elsewhere ---------------------------------------------------------


def test_the_record_form_offers_today_in_iso_for_the_date_picker(client, campaign):
    html = client.get(_url("record", campaign)).content.decode()
    assert f'type="date" name="date" value="{dt.date.today().isoformat()}"' in html


def test_record_an_action_with_consent_confirmed_by_email(client, campaign, company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
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
    assert (action.kind, action.represents, action.date, str(action.country)) == ("motion", 1, dt.date(2026, 1, 5), "GB")
    supporter = action.supporter
    assert supporter.organisation == "Unison Leeds branch"
    assert not supporter.consent_updates and supporter.consented_at is None, "consent waits for the mailbox's owner"
    html = client.get(response["Location"]).content.decode()
    assert 'data-total="people">1<' in html and reverse("campaigns:campaign", args=[campaign.slug]) in html
    assert "e-mailed you a link to confirm" in html
    [message] = mail.outbox
    assert message.to == ["ann@example.net"]
    link = urlsplit(re.search(r"http\S+/news/confirm/\S+/", message.body)[0]).path
    assert "Yes, email me its news" in client.get(link).content.decode()
    supporter.refresh_from_db()
    assert not supporter.consent_updates, "a GET (a mail scanner) changes nothing"
    assert "You will hear how it goes" in client.post(link).content.decode()
    supporter.refresh_from_db()
    assert supporter.consent_updates and supporter.consented_at
    assert client.get(link[:-3] + "xx/").status_code == 404


def test_bad_input_re_renders_with_errors_beside_fields_and_nothing_lost(client, campaign, company):
    future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    response = client.post(
        _url("record", campaign),
        {"kind": "telegram", "date": future, "name": "Ann Smith", "consent_updates": "on",
         "text": "We picketed the embassy.", "organisation": "Unison"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and not m.Action.objects.exists()
    for field in ("kind", "date", "email"):
        assert f'id="id_{field}_error"' in html, field
        assert re.search(rf'id="id_{field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="id_{field}"', html), field
    assert "Give an email address to receive updates" in html
    assert re.search(r'<select name="kind"[^>]*autofocus', html), "the first field to correct has the focus"
    assert "We picketed the embassy." in html and 'value="Ann Smith"' in html and 'value="Unison"' in html
    assert f'value="{future}"' in html


def test_a_repeat_record_counts_once_and_answers_as_the_first_time(client, campaign, company):
    data = {"kind": "fax", "targets": [company.pk], "date": dt.date.today().isoformat(), "email": "a@b.org"}
    first = client.post(_url("record", campaign), {**data, "submission": "1"})
    again = client.post(_url("record", campaign), {**data, "submission": "2"})
    assert first.status_code == again.status_code == 302
    html = client.get(again["Location"]).content.decode()
    assert "you had already done this" not in html and "counts once" in html and m.Action.objects.count() == 1


def test_a_double_click_without_an_email_says_it_counts_once(client, campaign, company):
    data = {"kind": "fax", "targets": [company.pk], "date": dt.date.today().isoformat(), "submission": "1"}
    client.post(_url("record", campaign), data)
    html = client.get(client.post(_url("record", campaign), data)["Location"]).content.decode()
    assert "you had already done this" in html and m.Action.objects.count() == 1


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

    token = signing.dumps({"k": "email", "t": [], "r": 0, "c": 0, "d": [delivery.pk]}, salt="campaigns.act.thanks")
    html = client.get(_url("delivery_state", campaign, token)).content.decode()
    assert "on its way" in html and "hx-trigger" in html
    m.Delivery.objects.filter(pk=delivery.pk).update(state="sent")
    html = client.get(_url("delivery_state", campaign, token)).content.decode()
    assert 'data-delivery-state="sent"' in html and "hx-trigger" not in html


def test_visits_share_images_and_referral_links_never_count(client, campaign, company):
    """Only an action counts: a bot requesting pages, pictures or ?src= links moves no public number."""
    for n in range(20):
        client.get(_url("campaign", campaign) + f"?src=bot{n}")
        client.get(_url("share_image", campaign))
        client.get(_url("embed", campaign) + "?src=bot")
        client.get(_url("act", campaign) + "?src=bot")
    assert not m.ActionTally.objects.exists() and not m.Action.objects.exists()
    html = client.get(_url("campaign", campaign)).content.decode()
    assert 'data-total="actions">0<' in html


def test_the_campaign_page_form_offers_to_publish_the_message(client, campaign, company, django_capture_on_commit_callbacks):
    assert 'name="text_public"' in client.get(_url("campaign", campaign)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, campaign, "email", [company], text_public="on")
    assert m.Action.objects.get().text_public


def test_the_share_image_is_drawn_once_per_window_not_once_per_action(client, campaign, company, django_assert_num_queries):
    campaign.save()  # a fresh `modified`: no picture cached by an earlier test
    first = client.get(_url("share_image", campaign))
    action_record(campaign=campaign, kind="fax", targets=[company])
    with django_assert_num_queries(1):  # the campaign; the picture comes from the cache
        again = client.get(_url("share_image", campaign))
    assert again.content == first.content and "max-age=300" in again["Cache-Control"]
