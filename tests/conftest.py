"""Shared fixtures: the standard users and the policy for tests that need real services."""

import os

import pytest
from django.db import connection
from django.utils import translation

from campaigns.services.organisers import organiser_create

from .factories import CampaignFactory, OrganisationFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_service(name: str, reachable: bool, why: str) -> None:
    """Skip on a laptop without the service; in CI a missing service is a failure, not a skip."""
    if reachable:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {name} is not available: {why}")
    pytest.skip(f"needs {name}: {why}")


@pytest.fixture(autouse=True)
def celery_in_process():
    """Tasks run in the test's process and transaction, whatever the broker.

    Publishing to the real Redis here would leave messages for no worker; the broker and worker
    path is tested by the worker tests, which start real worker processes.
    """
    from config.celery_app import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts and ends in the site's language: LocaleMiddleware activates a request's language in the
    thread and nothing deactivates it, so a Spanish request would otherwise leave the next test in Spanish."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def mail_connections_closed():
    """Each test starts without the SMTP connections an earlier one left open (to its own server)."""
    from campaigns.services.delivery import delivery_connections_close

    delivery_connections_close()
    yield
    delivery_connections_close()


@pytest.fixture
def postgresql(db):
    require_service("PostgreSQL", connection.vendor == "postgresql", f"DATABASE_URL gives {connection.vendor}")


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        require_service("Redis", False, "REDIS_URL is not set")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        require_service("Redis", False, f"{url} does not answer ({exc})")
    return url


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Workers' Movement of Kazakhstan")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Another Federation")


@pytest.fixture
def organiser(organisation):
    """Organiser of the campaign's organisation."""
    return organiser_create(username="organiser", password="pw", organisation=organisation)


@pytest.fixture
def outsider(other_organisation):
    """Organiser of another organisation: must not see our campaigns' private parts."""
    return organiser_create(username="outsider", password="pw", organisation=other_organisation)


@pytest.fixture
def campaign(organisation):
    return CampaignFactory(owner=organisation, slug="foundry", title="Foundry workers")


@pytest.fixture
def superuser(db):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    return user


@pytest.fixture(autouse=True)
def abuse_limits(settings):
    """Each test counts from zero (the Redis buckets outlive a test) and fills forms at machine speed;
    the tests of the limits themselves set the rates and the fill time they try."""
    import uuid

    settings.RATE_LIMIT_PREFIX = f"test-{uuid.uuid4().hex}:"
    settings.API_SUPPORTER_ACTIONS_RATE = "1000/minute"
    settings.ACTIONS_RATE_PER_CAMPAIGN = "10000/minute"
    settings.FORM_MIN_FILL_SECONDS = 0


@pytest.fixture(autouse=True)
def api_throttle_reset():
    """Anonymous API writes are rate-limited in the cache (Redis in CI, kept between tests): start each test afresh."""
    from django.core.cache import cache

    key = "throttle_supporter_actions_127.0.0.1"
    cache.delete(key)
    yield
    cache.delete(key)
