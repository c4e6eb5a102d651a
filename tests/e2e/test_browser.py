"""Both seed campaigns and one with every address known, acted on in a real browser by every way, then seen by an organiser.

Each page and state is looked at as a person would (390 px and 1280 px screenshots in artifacts/e2e/)
and checked with axe-core. The fax gateway is a real SMTP server on loopback.
"""

import csv
import email
import io
import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from pypdf import PdfReader

from campaigns import models as m
from campaigns.services.organisers import organiser_create

from ..factories import CampaignFactory, ChannelFactory, OrganisationFactory, TargetFactory
from ..smtp import SmtpServer
from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser]

FOUNDRY = "irtyshskii-foundry-nationalisation"
MANGYSTAU = "mangystau-oil-workers-2011"


@pytest.fixture
def seeds(transactional_db):
    call_command("load_seeds", stdout=io.StringIO())
    organisations = m.Organisation.objects.filter(
        name__in=["Workers' Movement of Kazakhstan", "International Metalworkers' Federation"]
    )
    for organisation in organisations:
        organiser_create(username="organiser", password="a-long-test-password", organisation=organisation)


@pytest.fixture
def supporter(chromium, live_server):
    """An anonymous supporter on a phone (390 px wide)."""
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def organiser(chromium, live_server, seeds):
    """The organiser, logged in through the admin's login page."""
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/organise/")
    page.fill("#id_username", "organiser")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url("**/organise/")
    yield page
    context.close()


@pytest.fixture
def gateway(settings):
    """The fax provider's e-mail-to-fax gateway: a real SMTP server on loopback."""
    server = SmtpServer().start()
    settings.FAX_GATEWAY, settings.FAX_ADDRESS = server.url, "{digits}@fax.example"
    yield server
    server.stop()


def total(page, slug: str) -> int:
    page.goto(f"/c/{slug}/")
    return int(page.inner_text("#totals [data-total=actions]").replace(",", ""))


def primary(page):
    return page.locator("#act button.primary")


def ways(page) -> list[str]:
    return [" ".join(t.split()) for t in page.locator("#act button[name=way]").all_inner_texts()]


def open_form(page, slug: str, **fields) -> None:
    page.goto(f"/c/{slug}/")
    for field, value in fields.items():
        if field in ("subject", "organisation", "country") and not page.is_visible(f"#id_{field}"):
            page.locator("details.more summary").click()
        page.fill(f"#id_{field}", value)


def thanks_total(page) -> int:
    page.wait_for_url(re.compile(r"/thanks/"))
    return int(page.inner_text("[data-total=actions]").replace(",", ""))


def pdf_text(path: str | Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def download_letter(page) -> str:
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the letter (PDF)").click()
    path = download.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")
    return pdf_text(path)


def fill_address(organiser, slug: str, target: str, kind: str, value: str) -> None:
    """The organiser fills in an address on the dashboard (htmx swaps the section)."""
    organiser.goto(f"/organise/c/{slug}/")
    section = organiser.locator("#address")
    section.locator("summary").click()
    section.get_by_label("Target or copy-to recipient").select_option(label=target)
    section.get_by_label("Kind").select_option(kind)
    section.get_by_label("Address or number").fill(value)
    section.get_by_role("button", name="Save the address").click()
    organiser.locator("#address .message").wait_for()
    assert value in organiser.inner_text("#address")


def fax_pdf(received) -> str:
    message = email.message_from_bytes(received.raw)
    [part] = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    return pdf_text(io.BytesIO(part.get_payload(decode=True)))


def test_the_foundry_campaign_by_every_path(seeds, supporter, organiser, look, settings):
    page = supporter
    page.goto("/")
    assert "Foundry workers fight for nationalisation" in page.inner_text("main")
    look(page, "campaign-list")
    before = total(page, FOUNDRY)

    # The appeal hid every e-mail and this site has no fax gateway: the one way that works is a letter.
    assert primary(page).inner_text() == "Print my letter" and ways(page) == ["Print my letter"]
    assert "address not yet known" in page.inner_text("main")
    assert page.locator("a[href^='tel:+73102768247']").count() == 0, "a fax number is no phone number"
    assert "Companies and authorities involved" in page.inner_text("main")
    involved = page.inner_text("section[aria-labelledby=involved-heading]")
    assert "Kazakhmys" in involved and "KNB" in involved
    assert "Kazakhmys" not in page.inner_text("section[aria-labelledby=orgs-heading]")
    look(page, "foundry-campaign")

    # Print it: one salutation even with a first line of one's own, the copies, then "I faxed it".
    open_form(page, FOUNDRY, name="Li Wei", organisation="Hong Kong Dockers")
    page.fill("#id_text", "I am a docker in Hong Kong.\n\n" + page.input_value("#id_text"))
    primary(page).click()
    assert "PO Box 3688" in page.inner_text("main"), "the copy-to addresses are on the print step"
    assert page.get_by_role("button", name="I posted it").count() == 0, "no postal address is known"
    look(page, "foundry-print")
    text = download_letter(page)
    for expected in ("Kazakhmys", "Fax: +73102768247", "To Kazakhmys,", "Li Wei", "Hong Kong Dockers", "be nationalised",
                     "cc: Committee for a Workers' International, PO Box 3688"):  # fmt: skip
        assert expected in text, expected
    assert text.count("To Kazakhmys,") == 1 and "Dear Sir or Madam" not in text
    assert text.index("To Kazakhmys,") < text.index("I am a docker")
    page.get_by_role("button", name="I faxed it").click()
    assert thanks_total(page) == before + 1
    look(page, "foundry-thanks")

    # With a gateway the platform faxes it, through the outbox, as a PDF for the right number.
    server = SmtpServer().start()
    settings.FAX_GATEWAY, settings.FAX_ADDRESS = server.url, "{digits}@fax.example"
    try:
        open_form(page, FOUNDRY, name="Mary Jones")
        assert primary(page).inner_text() == "Send my fax to Kazakhmys"
        primary(page).click()
        assert thanks_total(page) == before + 2
        page.locator('[data-delivery-kind="fax"][data-delivery-state="sent"]').wait_for()
        [received] = server.messages
        assert received.rcpt_tos == ("73102768247@fax.example",) and "Mary Jones" in fax_pdf(received)
        look(page, "foundry-thanks-fax-sent")
    finally:
        server.stop()
        settings.FAX_GATEWAY = settings.FAX_ADDRESS = ""

    # The organiser fills in the addresses the appeal hid; now the platform can send e-mail.
    fill_address(organiser, FOUNDRY, "Kazakhmys", "email", "office@kazakhmys.example")
    fill_address(organiser, FOUNDRY, "Committee for a Workers' International", "email", "cwi@example.org")

    # Three interactions from landing to a sent e-mail on a phone: land, "Act now", the primary button.
    page.goto(f"/c/{FOUNDRY}/?src=whatsapp")
    page.get_by_role("link", name="Act now").click()
    assert primary(page).inner_text() == "Send my e-mail to Kazakhmys"
    primary(page).click()
    assert thanks_total(page) == before + 3
    page.locator('[data-delivery-state="sent"]').wait_for()
    [message] = mail.outbox
    assert message.to == ["office@kazakhmys.example"] and message.cc == ["cwi@example.org"]
    assert m.Action.objects.get(via="platform", kind="email").source == "whatsapp"
    look(page, "foundry-thanks-sent")

    # From one's own e-mail: mailto:, Gmail and Outlook links with everything filled in, then "I sent it".
    open_form(page, FOUNDRY, name="Pedro Alves", subject="Solidarity from Brazil")
    page.get_by_role("button", name="Write it from my own e-mail").click()
    parts = urlsplit(page.get_attribute("#mailto", "href"))
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert unquote(parts.path) == "office@kazakhmys.example" and query["cc"] == "cwi@example.org"
    assert query["subject"] == "Solidarity from Brazil" and query["body"].endswith("Yours sincerely,\r\n\r\nPedro Alves")
    gmail = parse_qs(urlsplit(page.get_attribute("#gmail", "href")).query)
    assert gmail["to"] == ["office@kazakhmys.example"] and gmail["su"] == ["Solidarity from Brazil"]
    assert page.get_attribute("#outlook", "href").startswith("https://outlook.office.com/mail/deeplink/compose?")
    page.get_by_role("button", name="Copy the message").click()
    page.locator("#message-copy-status", has_text="Message copied").wait_for()
    look(page, "foundry-own-email")
    page.get_by_role("button", name="I sent it").click()
    assert thanks_total(page) == before + 4

    # A bad form: the errors beside the fields, nothing typed lost.
    page.goto(f"/c/{FOUNDRY}/record/")
    page.select_option("#id_kind", "rally")
    page.fill("#id_date", "2099-01-01")
    page.fill("#id_name", "Sam Picket")
    page.fill("#id_text", "We picketed the embassy in London.")
    page.check("#id_consent_updates")
    page.get_by_role("button", name="Record it").click()
    assert "That day has not come yet" in page.inner_text("#id_date_error")
    assert page.input_value("#id_name") == "Sam Picket" and page.input_value("#id_date") == "2099-01-01"
    look(page, "foundry-record-errors")
    page.fill("#id_date", "2026-01-05")
    page.fill("#id_email", "sam@example.org")
    page.get_by_role("button", name="Record it").click()
    assert thanks_total(page) == before + 5
    assert total(page, FOUNDRY) == before + 5
    assert "Sam Picket" not in page.content(), "supporters are never shown publicly"

    # The organiser sees every action, both deliveries and the referral source.
    organiser.goto(f"/organise/c/{FOUNDRY}/")
    dashboard = organiser.inner_text("main")
    for name in ("Mary Jones", "Li Wei", "Pedro Alves", "Sam Picket", "office@kazakhmys.example", "73102768247@fax.example"):
        assert name in dashboard, name
    assert organiser.inner_text("[data-total=actions]") == str(before + 5)
    assert "whatsapp" in organiser.inner_text("#sources")
    organiser.screenshot(path=str(ARTIFACTS / "foundry-dashboard-1280.png"), full_page=True)
    with organiser.expect_download() as download:
        organiser.get_by_role("link", name="actions as CSV", exact=True).click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == before + 5
    by_name = {r["supporter_name"]: r for r in rows}
    assert by_name["Mary Jones"]["via"] == "platform" and by_name["Mary Jones"]["kind"] == "fax"
    assert by_name["Li Wei"]["kind"] == "fax" and by_name["Sam Picket"]["represents"] == "1"


def test_the_mangystau_campaign_by_every_path(seeds, supporter, organiser, look):
    page = supporter
    before = total(page, MANGYSTAU)
    assert before == 1, "the federations' letter of the seed"
    assert "ICEM; IMF" in page.inner_text("main")
    # A 2011 appeal with no update says so; no address is known, so a letter is the only way.
    assert "more than a year old" in page.inner_text("main")
    assert ways(page) == ["Print my letter"]
    look(page, "mangystau-campaign")

    open_form(page, MANGYSTAU, name="Olga Petrova")
    primary(page).click()
    assert page.get_by_role("button", name="I posted it").count() == 0, "no address: posting it is not offered"
    look(page, "mangystau-print-no-address")
    page.get_by_role("button", name="I handed it in").click()
    assert thanks_total(page) == before + 1

    # The letter named the President but no address: the organiser adds them.
    fill_address(organiser, MANGYSTAU, "Nursultan Nazarbaev", "email", "president@akorda.example")
    fill_address(organiser, MANGYSTAU, "Nursultan Nazarbaev", "postal", "Akorda, Astana, 010000, Kazakhstan")

    open_form(page, MANGYSTAU, name="Jan de Vries", email="jan@example.nl")
    assert primary(page).inner_text() == "Send my e-mail to Nursultan Nazarbaev"
    primary(page).click()
    assert thanks_total(page) == before + 2
    page.locator('[data-delivery-state="sent"]').wait_for()
    [message] = mail.outbox
    assert message.to == ["president@akorda.example"] and message.body.startswith("Dear Mr. President,")

    # Sending the same again counts once, and the page says nothing of the address's history.
    open_form(page, MANGYSTAU, email="JAN@example.nl")
    primary(page).click()
    page.wait_for_url(re.compile(r"/thanks/"))
    assert "already" not in page.inner_text("main")
    assert thanks_total(page) == before + 2
    look(page, "mangystau-thanks-repeat")

    open_form(page, MANGYSTAU, name="Olga Petrova", organisation="Metalworkers of Riga")
    page.get_by_role("button", name="Print my letter").click()
    text = download_letter(page)
    for expected in ("Nursultan Nazarbaev", "President of Republic of Kazakhstan", "Akorda", "Dear Mr. President,",
                     "Olga Petrova", "Metalworkers of Riga", "Mangystau"):  # fmt: skip
        assert expected in text, expected
    assert text.count("Dear Mr. President") == 1
    page.get_by_role("button", name="I posted it").click()
    assert thanks_total(page) == before + 3

    page.goto(f"/c/{MANGYSTAU}/record/")
    page.select_option("#id_kind", "motion")
    page.check(f"input[name=targets][value='{m.Target.objects.get(name='Nursultan Nazarbaev').pk}']")
    page.fill("#id_organisation", "Dockers' branch 7")
    page.select_option("#id_country", "NL")
    look(page, "mangystau-record")
    page.get_by_role("button", name="Record it").click()
    assert thanks_total(page) == before + 4

    organiser.goto(f"/organise/c/{MANGYSTAU}/")
    dashboard = organiser.inner_text("main")
    for name in ("Jan de Vries", "Olga Petrova", "Dockers' branch 7", "ICEM; IMF"):
        assert name in dashboard, name
    assert organiser.locator('#deliveries [data-delivery-state="sent"]').count() >= 1


@pytest.fixture
def everything_known(transactional_db):
    """A campaign whose target can be e-mailed, faxed and phoned, with a goal, a copy-to and a listed embedding site."""
    owner = OrganisationFactory(name="Hospital Workers Union")
    campaign = CampaignFactory(
        owner=owner, slug="hospital-strike", title="Reinstate the sacked hospital cleaners", goal=50,
        summary="Twelve cleaners were sacked for joining the union. Tell the trust to take them back.",
        message_subject="Reinstate the cleaners", message_body="Dear Chief Executive,\n\nReinstate the twelve cleaners now.\n\nYours sincerely,",  # noqa: E501
    )  # fmt: skip
    trust = TargetFactory(campaign=campaign, name="City Hospital Trust", salutation="", country="GB")
    ChannelFactory(target=trust, kind="email", value="ceo@trust.example")
    ChannelFactory(target=trust, kind="fax", value="+44 20 7946 0000", e164="+442079460000")
    ChannelFactory(target=trust, kind="phone", value="+44 20 7946 0001", e164="+442079460001")
    copy = TargetFactory(campaign=campaign, name="Hospital Workers Union", role="copy_to")
    ChannelFactory(target=copy, kind="email", value="union@example.org")
    m.Demand.objects.create(campaign=campaign, text="Reinstate the twelve cleaners")
    organiser_create(username="organiser", password="a-long-test-password", organisation=owner)
    return campaign


def test_a_campaign_with_email_fax_and_phone_known_by_every_way(everything_known, supporter, gateway, look):
    page, slug = supporter, everything_known.slug
    page.goto(f"/c/{slug}/")
    assert ways(page) == [
        "Send my e-mail to City Hospital Trust",
        "Send my fax to City Hospital Trust",
        "Print my letter",
        "Call City Hospital Trust",
        "Write it from my own e-mail",
    ]
    assert page.locator("#act button.primary").count() == 1
    assert page.get_attribute("#goal-progress", "max") == "50"
    look(page, "everything-campaign")

    # Link previews: Open Graph and Twitter card tags, and the picture they point to.
    tags = {
        key: page.get_attribute(f'meta[property="{key}"], meta[name="{key}"]', "content")
        for key in ("og:title", "og:description", "og:image", "og:url", "twitter:card", "twitter:image")
    }
    assert tags["og:title"] == everything_known.title and tags["twitter:card"] == "summary_large_image"
    assert all(tags.values()) and tags["og:image"] == tags["twitter:image"] and tags["og:image"].endswith("/share.png")
    image = page.request.get(tags["og:image"])
    assert image.ok and image.headers["content-type"] == "image/png"
    (ARTIFACTS / "everything-share-image.png").write_bytes(image.body())

    # A message left empty: the error beside the field, the page still the campaign's.
    page.fill("#id_text", "")
    page.fill("#id_name", "Kept Name")
    primary(page).click()
    page.locator("#id_text_error").wait_for()
    assert page.input_value("#id_name") == "Kept Name" and not m.Action.objects.exists()
    look(page, "everything-form-errors")

    # A step tampered with on the way records nothing and says to start again.
    page.goto(f"/c/{slug}/")
    page.get_by_role("button", name="Call City Hospital Trust").click()
    page.evaluate("document.querySelector('input[name=token]').value = 'tampered'")
    page.get_by_role("button", name="No answer").click()
    assert "Please start again" in page.inner_text("main") and not m.Action.objects.exists()
    look(page, "everything-step-expired")

    # Call: the script, the tel: link, then how it went.
    page.goto(f"/c/{slug}/")
    page.get_by_role("button", name="Call City Hospital Trust").click()
    assert page.get_attribute("a[href^='tel:']", "href") == "tel:+442079460001"
    assert "Reinstate the twelve cleaners" in page.inner_text(".script")
    look(page, "everything-call")
    page.get_by_role("button", name="Left a voicemail").click()
    thanks_total(page)
    assert m.Action.objects.get(kind="call").outcome == "voicemail"

    # Fax from here: the gateway gets the PDF for the right number.
    page.goto(f"/c/{slug}/")
    page.fill("#id_name", "Rosa Parks")
    page.get_by_role("button", name="Send my fax to City Hospital Trust").click()
    page.locator('[data-delivery-kind="fax"][data-delivery-state="sent"]').wait_for()
    [received] = gateway.messages
    assert received.rcpt_tos == ("442079460000@fax.example",) and "Rosa Parks" in fax_pdf(received)

    # E-mail from here, then spread it: share links for every network, the copy-link button.
    page.goto(f"/c/{slug}/")
    primary(page).click()
    page.locator('[data-delivery-kind="email"][data-delivery-state="sent"]').wait_for()
    assert mail.outbox[-1].to == ["ceo@trust.example"] and mail.outbox[-1].cc == ["union@example.org"]
    networks = page.locator(".share-links a").evaluate_all("els => els.map(e => e.dataset.network)")
    assert networks == ["whatsapp", "telegram", "email", "bluesky", "x", "facebook"]
    assert "src%3Dwhatsapp" in page.get_attribute("[data-network=whatsapp]", "href")
    assert page.input_value("#share-signal").endswith(f"/c/{slug}/?src=signal")
    page.get_by_role("button", name="Copy the link").click()
    page.locator("#share-url-status", has_text="Link copied").wait_for()
    look(page, "everything-thanks-shared")
    page.goto(f"/c/{slug}/")
    assert "3 of 50 actions" in page.inner_text(".goal") and "a phone call" in page.inner_text(".recent")
    assert "Rosa Parks" not in page.inner_text("main")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def other_origin(tmp_path):
    """A union's own site: a static page on another loopback origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_the_form_embedded_on_another_site_records_an_action(everything_known, chromium, live_server, other_origin, look):
    folder, origin = other_origin
    embed_url = f"{live_server.url}/c/{everything_known.slug}/embed/"
    assert urlsplit(live_server.url).hostname == "localhost", "another site than the union's 127.0.0.1"
    (folder / "index.html").write_text(
        f'<!doctype html><html lang="en"><title>Our union</title><h1>Our union</h1>'
        f'<iframe src="{embed_url}" title="Act now" width="420" height="1100"></iframe></html>'
    )
    context = chromium.new_context(viewport={"width": 1280, "height": 1200})
    page = context.new_page()
    page.set_default_timeout(15_000)

    # Not listed yet: the browser refuses to show the form inside the union's page.
    page.goto(f"{origin}/index.html")
    page.wait_for_timeout(500)
    frame = page.frame_locator("iframe")
    assert frame.locator("button.primary").count() == 0

    everything_known.embed_origins = origin
    everything_known.save()
    page.goto(f"{origin}/index.html")
    frame.locator("#id_name").fill("Branch 12")
    assert frame.locator("button.primary").inner_text() == "Send my e-mail to City Hospital Trust"
    page.screenshot(path=str(ARTIFACTS / "embed-host-1280.png"), full_page=True)
    frame.locator("button.primary").click()
    frame.locator('[data-delivery-state="sent"]').wait_for()
    action = m.Action.objects.get()
    assert action.via == "platform" and action.supporter.name == "Branch 12" and len(mail.outbox) == 1
    page.screenshot(path=str(ARTIFACTS / "embed-host-thanks-1280.png"), full_page=True)

    # The compact form and its thanks, on their own, pass axe-core at both widths.
    thanks_url = next(f.url for f in page.frames if "/embed/thanks/" in f.url)
    alone = context.new_page()
    alone.goto(embed_url)
    look(alone, "embed-form")
    alone.goto(thanks_url)
    look(alone, "embed-thanks")
    context.close()


def test_acting_and_organising_without_javascript(chromium, live_server, seeds, look):
    """Every form works with JavaScript off: plain POSTs and redirects."""
    phone = {"width": 390, "height": 844}
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False, viewport=phone)
    page = context.new_page()
    page.goto(f"/c/{FOUNDRY}/")
    page.fill("#id_name", "No Script")
    primary(page).click()
    page.get_by_role("button", name="I faxed it").click()
    page.wait_for_url(re.compile(r"/thanks/"))
    assert page.inner_text("[data-total=actions]") == "1"
    assert page.locator("[data-copy]:visible").count() == 0, "copy buttons need JavaScript: hidden without it"
    page.goto(f"/c/{FOUNDRY}/record/")
    page.select_option("#id_kind", "call")
    page.get_by_role("button", name="Record it").click()
    page.wait_for_url(re.compile(r"/thanks/"))
    assert page.inner_text("[data-total=actions]") == "2"
    page.goto("/admin/login/?next=/organise/c/" + FOUNDRY + "/")
    page.fill("#id_username", "organiser")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url(f"**/organise/c/{FOUNDRY}/")
    page.locator("#update summary").click()
    page.fill("#id_update-title", "Ivan Bulgakov detained")
    page.get_by_role("button", name="Post the update").click()
    page.wait_for_url(f"**/organise/c/{FOUNDRY}/#update")
    assert "The update is posted." in page.inner_text(".messages")
    page.goto(f"/c/{FOUNDRY}/")
    assert "Ivan Bulgakov detained" in page.inner_text("main")
    context.close()
