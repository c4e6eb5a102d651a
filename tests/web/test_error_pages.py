"""With DEBUG off, errors are the site's own pages (JSON under /api/), and static files work before and after collectstatic."""

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory

from campaigns.web.errors import server_error

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.static_storage.StaticFilesStorage"},
}


@pytest.mark.django_db
def test_an_unknown_page_is_the_sites_own_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert 'class="site-header"' in body


@pytest.mark.django_db
def test_an_unknown_api_url_is_still_json(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_server_error_is_the_sites_own_page_and_needs_nothing_to_render():
    response = server_error(RequestFactory().get("/c/anything/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "Solidarity action tracker" in body


@pytest.fixture
def production_static(settings, tmp_path):
    """DEBUG off as in production: WhiteNoise in front, the manifest storage, an empty STATIC_ROOT."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = PRODUCTION_STORAGES
    settings.MIDDLEWARE = [settings.MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *settings.MIDDLEWARE[1:]]
    return settings


def _stylesheet(client: Client) -> str:
    page = client.get("/")
    assert page.status_code == 200
    href = page.content.decode().split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    return href


@pytest.mark.django_db
def test_pages_and_static_files_work_before_collectstatic(production_static):
    client = Client()
    href = _stylesheet(client)
    assert href == "/static/campaigns/site.css"
    css = client.get(href)
    assert css.status_code == 200
    assert b"".join(css.streaming_content)


@pytest.mark.django_db
def test_after_collectstatic_static_files_are_hashed_and_served(production_static):
    call_command("collectstatic", "--no-input", verbosity=0)
    client = Client()
    href = _stylesheet(client)
    assert href.startswith("/static/campaigns/site.") and href != "/static/campaigns/site.css"
    css = client.get(href)
    assert css.status_code == 200
    assert "immutable" in css["Cache-Control"]
