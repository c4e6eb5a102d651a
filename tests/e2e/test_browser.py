"""Both seed campaigns, acted on in a real browser by every path, then seen by an organiser on the dashboard."""

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from pypdf import PdfReader

from campaigns import models as m
from campaigns.services.organisers import organiser_create

pytestmark = [pytest.mark.browser]

FOUNDRY = "irtyshskii-foundry-nationalisation"
MANGYSTAU = "mangystau-oil-workers-2011"


@pytest.fixture
def seeds(transactional_db):
    call_command("load_seeds", stdout=open("/dev/null", "w"))  # noqa: SIM115
    organisations = m.Organisation.objects.filter(
        name__in=["Workers' Movement of Kazakhstan", "International Metalworkers' Federation"]
    )
    for organisation in organisations:
        organiser_create(username="organiser", password="a-long-test-password", organisation=organisation)


@pytest.fixture
def supporter(chromium, live_server):
    """An anonymous supporter on a phone-sized screen."""
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 412, "height": 915}, accept_downloads=True)
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


def total(page, slug: str) -> int:
    page.goto(f"/c/{slug}/")
    return int(page.inner_text("[data-total=actions]").replace(",", ""))


def start_action(page, slug: str, **fields) -> None:
    page.goto(f"/c/{slug}/act/")
    for field, value in fields.items():
        page.fill(f"#id_{field}", value)


def thanks_total(page) -> int:
    page.wait_for_url(re.compile(r"/thanks/"))
    return int(page.inner_text("[data-total=actions]").replace(",", ""))


def pdf_text(path: str | Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


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


def print_letter(page, slug: str, name: str, organisation: str) -> str:
    start_action(page, slug, name=name, organisation=organisation)
    page.get_by_role("button", name="Print it as a letter (PDF)").click()
    page.wait_for_url(f"**/c/{slug}/act/")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the letter (PDF)").click()
    path = download.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")
    return pdf_text(path)


def test_the_foundry_campaign_by_every_path(seeds, supporter, organiser, screenshot):
    page = supporter
    page.goto("/")
    assert "Foundry workers fight for nationalisation" in page.inner_text("main")
    screenshot(page, "campaign-list")
    before = total(page, FOUNDRY)
    assert "address not yet known" in page.inner_text("main")
    screenshot(page, "foundry-campaign")

    # The appeal hid every email address: sending from here is not offered yet.
    page.goto(f"/c/{FOUNDRY}/act/")
    assert "Sending from here is not possible yet" in page.inner_text("main")
    screenshot(page, "foundry-act")

    # Send it yourself, by fax: the number, then "I did this".
    start_action(page, FOUNDRY, name="Mary Jones")
    page.check("input[name=channel][value=fax]")
    page.get_by_role("button", name="Send it yourself").click()
    assert "007-3102-768247" in page.inner_text("main")
    page.get_by_role("button", name="I did this").click()
    assert thanks_total(page) == before + 1
    screenshot(page, "foundry-thanks")

    # Print it: a PDF letter for fax, then "I faxed it".
    text = print_letter(page, FOUNDRY, name="Li Wei", organisation="Hong Kong Dockers")
    for expected in ("Kazakhmys", "Fax: +73102768247", "To Kazakhmys,", "Li Wei", "Hong Kong Dockers", "be nationalised"):
        assert expected in text, expected
    page.get_by_role("button", name="I faxed it").click()
    assert thanks_total(page) == before + 2

    # The organiser fills in the addresses the appeal hid; now the platform can send.
    fill_address(organiser, FOUNDRY, "Kazakhmys", "email", "office@kazakhmys.example")
    fill_address(organiser, FOUNDRY, "Committee for a Workers' International", "email", "cwi@example.org")

    # Send it from here: the email goes to the target, copies to the copy-to, replies to the supporter.
    start_action(page, FOUNDRY, name="Ann Smith", email="ann@example.net", organisation="Unison Leeds")
    page.fill("#id_text", page.input_value("#id_text") + "\nFrom a nurse in Leeds.")
    page.get_by_role("button", name="Send it from here").click()
    assert thanks_total(page) == before + 3
    page.locator('[data-delivery-state="sent"]').wait_for()
    [message] = mail.outbox
    assert message.to == ["office@kazakhmys.example"] and message.cc == ["cwi@example.org"]
    assert message.reply_to == ["ann@example.net"] and "From a nurse in Leeds." in message.body
    screenshot(page, "foundry-thanks-sent")

    # Send it yourself by email: a mailto: link with everything filled in, then "I did this".
    start_action(page, FOUNDRY, name="Pedro Alves", subject="Solidarity from Brazil")
    page.check("input[name=channel][value=email]")
    page.get_by_role("button", name="Send it yourself").click()
    href = page.get_attribute("#mailto", "href")
    parts = urlsplit(href)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert unquote(parts.path) == "office@kazakhmys.example" and query["cc"] == "cwi@example.org"
    assert query["subject"] == "Solidarity from Brazil" and query["body"].endswith("Yours sincerely,\r\n\r\nPedro Alves")
    screenshot(page, "foundry-send-yourself")
    page.get_by_role("button", name="I did this").click()
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
    assert "Give an email address to receive updates" in page.inner_text("#id_email_error")
    assert page.get_attribute("#id_date", "aria-invalid") == "true"
    assert page.input_value("#id_name") == "Sam Picket"
    assert page.input_value("#id_text") == "We picketed the embassy in London."
    assert page.input_value("#id_date") == "2099-01-01" and page.is_checked("#id_consent_updates")
    screenshot(page, "foundry-record-errors")
    page.fill("#id_date", "2026-01-05")
    page.fill("#id_email", "sam@example.org")
    page.fill("#id_represents", "40")
    page.get_by_role("button", name="Record it").click()
    assert thanks_total(page) == before + 5
    assert total(page, FOUNDRY) == before + 5
    assert "Sam Picket" not in page.content(), "supporters are never shown publicly"

    # The organiser sees every action, the delivery, and records the target's answer.
    organiser.goto(f"/organise/c/{FOUNDRY}/")
    dashboard = organiser.inner_text("main")
    for name in ("Mary Jones", "Li Wei", "Ann Smith", "Pedro Alves", "Sam Picket", "ann@example.net", "Unison Leeds"):
        assert name in dashboard, name
    assert organiser.inner_text("[data-total=actions]") == str(before + 5)
    assert organiser.locator('#deliveries [data-delivery-state="sent"]').count() == 1
    assert "office@kazakhmys.example" in organiser.inner_text("#deliveries")
    section = organiser.locator("#response")
    section.locator("summary").click()
    section.get_by_label("Target").select_option(label="Kazakhmys")
    section.get_by_label("Reading", exact=True).select_option("refused")
    section.get_by_label("What they answered").fill("The company refuses to meet the union.")
    section.get_by_role("button", name="Record the response").click()
    organiser.locator("#response .message").wait_for()
    assert "The company refuses to meet the union." in organiser.inner_text("#response")
    organiser.reload()
    assert "The company refuses to meet the union." in organiser.inner_text("#response")
    screenshot(organiser, "foundry-dashboard")

    with organiser.expect_download() as download:
        organiser.get_by_role("link", name="actions as CSV", exact=True).click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == before + 5
    by_name = {r["supporter_name"]: r for r in rows}
    assert by_name["Ann Smith"]["via"] == "platform" and by_name["Ann Smith"]["kind"] == "email"
    assert by_name["Li Wei"]["kind"] == "fax" and by_name["Sam Picket"]["represents"] == "40"


def test_the_mangystau_campaign_by_every_path(seeds, supporter, organiser, screenshot):
    page = supporter
    before = total(page, MANGYSTAU)
    assert before == 1, "the federations' letter of the seed"
    assert "ICEM; IMF" in page.inner_text("main")
    screenshot(page, "mangystau-campaign")

    # The letter named the President but no address: the organiser adds them.
    fill_address(organiser, MANGYSTAU, "Nursultan Nazarbaev", "email", "president@akorda.example")
    fill_address(organiser, MANGYSTAU, "Nursultan Nazarbaev", "postal", "Akorda, Astana, 010000, Kazakhstan")

    start_action(page, MANGYSTAU, name="Jan de Vries", email="jan@example.nl")
    page.get_by_role("button", name="Send it from here").click()
    assert thanks_total(page) == before + 1
    page.locator('[data-delivery-state="sent"]').wait_for()
    [message] = mail.outbox
    assert message.to == ["president@akorda.example"] and message.reply_to == ["jan@example.nl"]
    assert message.body.startswith("Dear Mr. President,")

    # Sending the same again counts once and sends nothing more.
    start_action(page, MANGYSTAU, email="JAN@example.nl")
    page.get_by_role("button", name="Send it from here").click()
    page.wait_for_url(re.compile(r"/thanks/"))
    assert "you had already done this" in page.inner_text("main")
    assert thanks_total(page) == before + 1 and len(mail.outbox) == 1

    start_action(page, MANGYSTAU, name="Aiko Tanaka")
    page.check("input[name=channel][value=email]")
    page.get_by_role("button", name="Send it yourself").click()
    assert unquote(urlsplit(page.get_attribute("#mailto", "href")).path) == "president@akorda.example"
    page.get_by_role("button", name="I did this").click()
    assert thanks_total(page) == before + 2

    text = print_letter(page, MANGYSTAU, name="Olga Petrova", organisation="Metalworkers of Riga")
    for expected in ("Nursultan Nazarbaev", "President of Republic of Kazakhstan", "Akorda", "Dear Mr. President,",
                     "Olga Petrova", "Metalworkers of Riga", "Mangystau"):  # fmt: skip
        assert expected in text, expected
    assert text.count("Dear Mr. President") == 1
    page.get_by_role("button", name="I posted it").click()
    assert thanks_total(page) == before + 3

    page.goto(f"/c/{MANGYSTAU}/record/")
    page.select_option("#id_kind", "motion")
    page.check(f"input[name=targets][value='{m.Target.objects.get(name='Nursultan Nazarbaev').pk}']")
    page.fill("#id_represents", "2500")
    page.fill("#id_organisation", "Dockers' branch 7")
    page.select_option("#id_country", "NL")
    page.get_by_role("button", name="Record it").click()
    assert thanks_total(page) == before + 4

    organiser.goto(f"/organise/c/{MANGYSTAU}/")
    dashboard = organiser.inner_text("main")
    for name in ("Jan de Vries", "Aiko Tanaka", "Olga Petrova", "Dockers' branch 7", "ICEM; IMF"):
        assert name in dashboard, name
    assert organiser.locator('#deliveries [data-delivery-state="sent"]').count() == 1
    assert "Netherlands" in organiser.inner_text("#totals-heading + p + figure + .cards")


def test_acting_and_organising_without_javascript(chromium, live_server, seeds, screenshot):
    """Every form works with JavaScript off: plain POSTs and redirects."""
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/c/{FOUNDRY}/record/")
    page.select_option("#id_kind", "call")
    page.get_by_role("button", name="Record it").click()
    page.wait_for_url(re.compile(r"/thanks/"))
    assert page.inner_text("[data-total=actions]") == "1"
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
    screenshot(page, "foundry-campaign-no-js")
    context.close()
