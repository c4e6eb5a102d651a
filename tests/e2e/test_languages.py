"""The foundry campaign in a real browser in every shipped language: no English left in the interface, a switcher that
remembers, a German thank-you; each page looked at in each language at 390 px and 1280 px (artifacts/e2e/languages/)."""

import io
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from .conftest import ARTIFACTS, WIDTHS, axe_violations

pytestmark = [pytest.mark.browser]

FOUNDRY = "irtyshskii-foundry-nationalisation"
LOCALE = Path(settings.BASE_DIR) / "campaigns" / "locale"
SCREENSHOTS = ARTIFACTS / "languages"
# Where the interface speaks; the rest of the page is the campaign's own text (in the language it was written in).
INTERFACE = (
    "nav, footer, .breadcrumb, .meta .badge, .dates dt, .dates dd, .notice, .jump, h2, h3, label, legend, summary, button, "
    ".button, .helptext, th, .record-link, .other-ways, .totals-line, .big-numbers, .steps, .thanks-total, [role=status]"
)
# Where only the interface speaks, so that a single English word there ("Demands") is English left over.
LABELS = "nav, footer, .dates dt, h2, h3, label, legend, summary, button, .button, th"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|<[^>]+>")


@pytest.fixture
def seeds(transactional_db):
    call_command("load_seeds", stdout=io.StringIO())


def english_phrases(language: str) -> list[str]:
    """The English of every message the catalogue translates differently, cut at its placeholders and markup:
    the pieces a page in `language` must not show."""
    phrases = set()
    for entry in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po")):
        if entry.obsolete or entry.msgid_plural or entry.msgstr == entry.msgid:
            continue
        for piece in PLACEHOLDER.split(entry.msgid):
            piece = piece.strip(" .,:;()“”\"'—-…?")
            words = piece.split()
            # Whole phrases, and single words long enough not to be a name, a number or a word both languages share.
            if len(words) >= 2 or (len(words) == 1 and len(piece) >= 6 and piece not in entry.msgstr):
                phrases.add(piece)
    return sorted(phrases, key=len, reverse=True)


def interface_text(page) -> str:
    return "\n".join(page.locator(INTERFACE).all_inner_texts())


def english_left(page, language: str) -> list[str]:
    text, labels = interface_text(page), "\n".join(page.locator(LABELS).all_inner_texts())
    return [p for p in english_phrases(language) if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text if " " in p else labels)]


CONTROLS = "main button, main .button, main label, main summary, main legend, main h1, main h2, main th, header a, header summary"


def clipped(page) -> list[str]:
    """Labels, buttons and headings that overflow their box or the screen: what a long German or Russian word breaks."""
    return page.evaluate(
        """(selector) => {
          const found = [];
          if (document.documentElement.scrollWidth > window.innerWidth + 1) found.push("the page scrolls sideways");
          for (const el of document.querySelectorAll(selector)) {
            const box = el.getBoundingClientRect();
            if (!box.width || getComputedStyle(el).visibility === "hidden") continue;
            if (el.closest(".visually-hidden, .table-scroll, [hidden]")) continue;
            if (box.right > window.innerWidth + 1 || el.scrollWidth > el.clientWidth + 2)
              found.push(`${el.tagName.toLowerCase()} "${el.innerText.trim().slice(0, 40)}"`);
          }
          return found;
        }""",
        CONTROLS,
    )


def look(page, name: str) -> None:
    """Both widths: a screenshot each, nothing clipped, and axe-core finds nothing (lang included)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = {}
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        found = clipped(page) + axe_violations(page)
        if found:
            problems[width] = found
    assert not problems, f"{name}: {problems}"


def test_a_spanish_supporter_switches_to_german_and_acts(seeds, chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="es-ES")
    page = context.new_page()
    page.set_default_timeout(90_000)  # a loaded CI machine, not a slow page
    page.goto(f"/c/{FOUNDRY}/")  # the browser sends Accept-Language: es-ES

    assert page.locator("html").get_attribute("lang") == "es" and page.locator("html").get_attribute("dir") == "ltr"
    interface = interface_text(page)
    for spanish in (
        "Actúa ahora",
        "Reivindicaciones",
        "Personas en peligro",
        "A quién escribir",
        "Imprimir mi carta",
        "Tu mensaje",
    ):
        assert spanish in interface, spanish
    assert english_left(page, "es") == [], "English left in the Spanish interface"
    assert "Kazakhmys" in page.inner_text("main"), "the campaign's own words stay as written"

    # The switcher: one click, no JavaScript needed, and the choice outlives the browser's Accept-Language.
    page.locator("details.language-switch summary").click()
    page.get_by_role("button", name="Deutsch").click()
    page.wait_for_url(f"**/c/{FOUNDRY}/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert english_left(page, "de") == [] and "Jetzt handeln" in interface_text(page)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "de", "the choice is remembered on every page"

    # Act: the foundry's addresses are hidden, so the letter is the way; then "I faxed it".
    page.goto(f"/c/{FOUNDRY}/")
    page.fill("#id_name", "Jonas Weber")
    page.locator("#act button.primary").click()
    assert page.locator("h1").inner_text() == "Drucke deinen Brief"
    assert english_left(page, "de") == []
    page.get_by_role("button", name="Ich habe ihn gefaxt").click()
    page.wait_for_url(re.compile(r"/thanks/"))
    thanks = page.inner_text("main")
    assert page.locator("h1").inner_text() == "Danke"
    assert "Deine Aktion (Fax) an Kazakhmys ist gezählt." in thanks
    assert re.search(r"Damit gibt es \d+ Aktion(en)? für „Kazakhstan: Foundry workers", thanks)
    assert english_left(page, "de") == [], "English left on the German thank-you page"
    look(page, "de-thanks")
    context.close()


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_campaign_and_the_act_page_hold_in_every_language(seeds, chromium, live_server, language):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale=language)
    page = context.new_page()
    page.set_default_timeout(90_000)  # a loaded CI machine, not a slow page
    page.goto(f"/c/{FOUNDRY}/")
    assert page.locator("html").get_attribute("lang") == language
    if language != "en":
        assert english_left(page, language) == [], f"English left in the {language} interface"
    look(page, f"{language}-campaign")

    page.locator("#act button.primary").click()  # print my letter: the act page's next step
    page.wait_for_url(f"**/c/{FOUNDRY}/act/")
    if language != "en":
        assert english_left(page, language) == []
    look(page, f"{language}-act")

    page.goto(f"/c/{FOUNDRY}/")
    page.locator("details.language-switch summary").click()
    look(page, f"{language}-switcher-open")  # ends at 1280 px, where the list is a drop-down
    heights = page.locator(".language-list button").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    assert max(heights) < 1.5 * min(heights), "a language's name breaks across lines in the switcher"
    context.close()
