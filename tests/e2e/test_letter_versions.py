"""The letter in two languages side by side, in a real browser: readable at 390 px and 1280 px, nothing overflowing."""

import pytest

from campaigns.services.documents import campaign_document_load

from ..web.test_letter_language import DOCUMENT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_side_by_side_letter_holds_on_a_phone_and_a_desktop(chromium, live_server, look):
    campaign_document_load(document=DOCUMENT)
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/c/foundry/?lang=tr")  # read in Turkish; the targets read Russian
    assert page.locator(".letter-read").inner_text().count("kamulaştırılmasını") == 1
    assert "Требую национализировать" in page.locator("textarea[name=text]").input_value()
    page.locator("#act").scroll_into_view_if_needed()
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"overflows at {width} px"
        read, send = (page.locator(selector).bounding_box() for selector in (".letter-read", ".letter-send"))
        beside = abs(read["y"] - send["y"]) < 2 and read["x"] < send["x"]
        assert beside == (width >= 1280), f"side by side at {width} px: {beside}"
    look(page, "letter-versions")
    context.close()
