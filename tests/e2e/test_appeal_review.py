"""Appeal import in a real browser: paste an appeal, fix the draft's rows (htmx, and without JavaScript), create the campaign.

The review is looked at at 390 px and 1280 px (screenshots in artifacts/e2e/) and checked with axe-core.
"""

from pathlib import Path

import pytest
from django.conf import settings

from campaigns import models as m
from campaigns.services.organisers import organiser_create

from ..factories import OrganisationFactory

pytestmark = [pytest.mark.browser]

FOUNDRY = Path(settings.BASE_DIR) / "seeds" / "000_5746010bd4fc8c14.txt"


@pytest.fixture
def organisation(transactional_db):
    organisation = OrganisationFactory(name="Workers' Movement of Kazakhstan")
    organiser_create(username="organiser", password="a-long-test-password", organisation=organisation)
    return organisation


def _logged_in(chromium, live_server, *, javascript: bool = True, width: int = 1280):
    viewport = {"width": width, "height": 900}
    context = chromium.new_context(base_url=live_server.url, viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(60_000)  # a loaded CI machine: the first page can be slow
    page.goto("/admin/login/?next=/organise/import/")
    page.fill("#id_username", "organiser")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url("**/organise/import/")
    return context, page


def _no_sideways_scroll(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide at 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_appeal_imported_fixed_row_by_row_and_created(chromium, live_server, organisation, look):
    context, page = _logged_in(chromium, live_server)
    look(page, "appeal-import")
    page.get_by_label("Paste the appeal").fill(FOUNDRY.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Read the appeal").click()
    page.get_by_role("heading", name="The draft campaign: correct it here").wait_for()
    assert page.locator("#source mark.f-channel").first.inner_text() == "007-3102-768247"
    assert page.input_value("#id_parties-0-name") == "Kazakhmys"
    look(page, "appeal-review")
    _no_sideways_scroll(page)

    # Fill in the hidden address; add a person (htmx swaps the rows in place: the page is not reloaded).
    page.evaluate("window.stillHere = true")
    page.fill("#id_parties-0-channels", "fax: 007-3102-768247\nemail: office@kazakhmys.example")
    page.fill("#id_title", "Irtyishskii foundry: nationalise it")
    people = page.locator("#rows-people .row-card")
    before = people.count()
    page.get_by_role("button", name="Add a person").click()
    people.nth(before).wait_for()
    page.fill(f"#id_people-{before}-name", "Sagitovoi")
    page.fill(f"#id_people-{before}-role", "leader of the Union of Young Workers")
    # Remove the first demand; what was typed above stays.
    page.get_by_role("button", name="Remove demand 1").click()
    page.locator("#rows-demands .row-card").first.wait_for(state="detached")
    assert page.evaluate("window.stillHere") is True
    assert page.input_value("#id_title") == "Irtyishskii foundry: nationalise it"
    assert "office@kazakhmys.example" in page.input_value("#id_parties-0-channels")

    # Bad input: the row's error beside it, everything typed kept.
    first_event = page.locator("#rows-events input[name$='-date']").first
    first_event.fill("first of July")
    page.get_by_role("button", name="Save as a draft").last.click()
    page.get_by_text("Write a date as 2011-07-01").wait_for()
    assert page.input_value(f"#id_people-{before}-name") == "Sagitovoi"
    assert page.input_value("#id_title") == "Irtyishskii foundry: nationalise it"
    look(page, "appeal-review-error")
    first_event.fill("--07-01")
    page.get_by_role("button", name="Save and publish").click()
    page.wait_for_url("**/organise/c/**")
    campaign = m.Campaign.objects.get()
    assert (campaign.title, campaign.status, campaign.owner) == ("Irtyishskii foundry: nationalise it", "active", organisation)
    assert campaign.targets.get(role="target").channels.filter(value="office@kazakhmys.example").exists()
    assert sorted(campaign.people.values_list("name", flat=True)) == ["Ivan Bulgakov", "Sagitovoi"]
    assert not campaign.demands.exists()
    context.close()


def test_the_review_works_without_javascript(chromium, live_server, organisation, screenshot):
    context, page = _logged_in(chromium, live_server, javascript=False, width=390)
    page.get_by_label("Paste the appeal").fill(FOUNDRY.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Read the appeal").click()
    page.get_by_role("button", name="Add an event").click()  # a plain form post: the page comes back with a row more
    events = page.locator("#rows-events .row-card")
    last = events.count() - 1
    page.fill(f"#id_events-{last}-date", "2011-07-04")
    page.fill(f"#id_events-{last}-text", "The Cabinet of Ministers discusses the plant")
    page.get_by_role("button", name="Remove recipient 2").click()
    screenshot(page, "appeal-review-no-js-390")
    page.get_by_role("button", name="Save as a draft").last.click()
    page.wait_for_url("**/organise/c/**")
    campaign = m.Campaign.objects.get()
    assert campaign.status == "draft"
    assert campaign.events.filter(date="2011-07-04", text="The Cabinet of Ministers discusses the plant").exists()
    assert campaign.targets.count() == 2  # one target and one copy-to of three
    context.close()
