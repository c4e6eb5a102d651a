"""End-to-end tests in a real headless Chromium (Debian's), driven by Playwright against the live server."""

import contextlib
import os
from pathlib import Path

import pytest
from django.conf import settings

from ..conftest import require_service

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "e2e"


@pytest.fixture(scope="module")
def chromium():
    if not os.path.exists(CHROMIUM):
        require_service("Chromium", False, f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django refuses ORM calls next to one
    # unless told the caller is synchronous (it is: the test waits for each browser step).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under artifacts/e2e/ (not committed)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": 390, "desktop": 1280}


def axe_violations(page) -> list[str]:
    """Run axe-core (WCAG 2 A and AA rules and best practices) on the page as it is; one line per violation."""
    if not AXE.exists():
        require_service("axe-core", False, f"{AXE} is missing (npm ci)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # A page's Content-Security-Policy may refuse the inline script; evaluate() is not subject to it.
        with contextlib.suppress(Exception):
            page.add_script_tag(path=str(AXE))
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            const where = v => v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ");
            return r.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ${where(v)}`);
        }"""
    )
    return list(result)


@pytest.fixture
def look(screenshot):
    """Look at the page as a person would at 390 px and 1280 px: a screenshot at each width, and axe-core finds nothing.

    The viewport is resized in place (no reload), so a page reached by a POST is looked at as it is.
    """

    def check(page, name: str) -> None:
        original = page.viewport_size
        found = {}
        for label, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            screenshot(page, f"{name}-{width}")
            violations = axe_violations(page)
            if violations:
                found[label] = violations
        if original:
            page.set_viewport_size(original)
        assert not found, f"axe-core on {name}: {found}"

    return check
