"""Issue 11: abuse limits on the forms and the API, across processes and under concurrency; bot defences."""

import datetime as dt
import io
import os
import threading
import time

import pytest
from django.core import signing
from django.core.management import call_command
from django.db import connection
from django.test import Client

from campaigns import models as m
from campaigns.services.limits import limit_hit, rate_parse
from campaigns.web.forms import STARTED_SALT

FOUNDRY = "irtyshskii-foundry-nationalisation"
RECORD = f"/c/{FOUNDRY}/record/"
API = "/api/v1/actions/"


@pytest.fixture
def foundry(db, organisation):
    call_command("load_seeds", stdout=io.StringIO())
    return m.Campaign.objects.get(slug=FOUNDRY)


def _started(seconds_ago: float) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=STARTED_SALT)


def _record(client, n: int, address: str, **extra):
    data = {"kind": "rally", "date": dt.date.today().isoformat(), "submission": f"{address}-{n}",
            "started": _started(10), "website": "", **extra}  # fmt: skip
    return client.post(RECORD, data, REMOTE_ADDR=address)


def test_the_database_counts_when_there_is_no_redis(db, settings):
    settings.REDIS_URL = ""
    rate = rate_parse("3/minute")
    assert [limit_hit(bucket="x", rate=rate) for _ in range(5)] == [True, True, True, False, False]
    assert m.RateCounter.objects.get().hits == 5


def test_a_bad_rate_setting_is_refused_loudly():
    from django.core.exceptions import ImproperlyConfigured

    for text in ("30", "thirty/hour", "30/fortnight"):
        with pytest.raises(ImproperlyConfigured):
            rate_parse(text)


def test_the_forms_are_limited_per_address_and_per_campaign(client, foundry, settings):
    settings.API_SUPPORTER_ACTIONS_RATE = "2/hour"
    assert [_record(client, i, "192.0.2.1").status_code for i in range(3)] == [302, 302, 429]
    assert _record(client, 9, "192.0.2.2").status_code == 302, "another address has its own count"
    settings.ACTIONS_RATE_PER_CAMPAIGN = "0/minute"
    assert _record(client, 10, "192.0.2.3").status_code == 429
    # The form and the API share the address's count.
    settings.ACTIONS_RATE_PER_CAMPAIGN = "100/minute"
    api = client.post(API, {"campaign": FOUNDRY, "kind": "rally"}, content_type="application/json", REMOTE_ADDR="192.0.2.1")
    assert api.status_code == 429


def test_a_forged_forwarded_for_changes_nothing(client, foundry, settings):
    settings.API_SUPPORTER_ACTIONS_RATE = "1/hour"
    assert _record(client, 1, "192.0.2.5").status_code == 302
    assert _record(client, 2, "192.0.2.5", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429


def test_the_honeypot_and_the_signed_fill_time(client, foundry, settings):
    settings.FORM_MIN_FILL_SECONDS = 3
    assert "This looks automated" in _record(client, 1, "192.0.2.7", website="http://spam").content.decode()
    assert "very quick" in _record(client, 2, "192.0.2.7", started=_started(0)).content.decode()
    assert "expired" in _record(client, 3, "192.0.2.7", started="forged").content.decode()
    assert "expired" in client.post(RECORD, {"kind": "rally", "date": dt.date.today().isoformat()}).content.decode()
    assert not foundry.actions.exclude(via="imported").exists()
    assert _record(client, 4, "192.0.2.7").status_code == 302
    page = client.get(RECORD).content.decode()
    assert 'name="website"' in page and 'name="started"' in page


def test_message_size_is_bounded(client, foundry):
    body = {"campaign": FOUNDRY, "kind": "email", "text": "x" * 20_001}
    assert client.post(API, body, content_type="application/json").status_code == 400
    assert "text" in _record(client, 1, "192.0.2.8", text="x" * 5_001).content.decode()


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_do_not_overshoot(postgresql, organisation, settings):
    """10 threads x 6 posts against a limit of 30: exactly 30 recorded (the issue saw 36 of 30)."""
    call_command("load_seeds", stdout=io.StringIO())
    settings.API_SUPPORTER_ACTIONS_RATE = "30/hour"
    codes: list[int] = []
    lock = threading.Lock()
    go = threading.Barrier(10)

    def send():
        client = Client()
        go.wait()
        try:
            for _ in range(6):
                code = client.post(API, {"campaign": FOUNDRY, "kind": "rally"}, content_type="application/json").status_code
                with lock:
                    codes.append(code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(set(codes)) == [202, 429] and codes.count(202) == 30
    assert m.Action.objects.filter(campaign__slug=FOUNDRY, kind="rally").count() == 30


@pytest.mark.burst
@pytest.mark.skipif(not (os.environ.get("CI") or os.environ.get("BURST")), reason="about 3 minutes: runs in CI, or with BURST=1")
def test_a_burst_of_ten_thousand_posts_from_ten_addresses(foundry, settings):
    """5,000 form posts and 5,000 API posts, bounded and in-process: at most 1% counted, the rest 429, no 5xx."""
    settings.API_SUPPORTER_ACTIONS_RATE = "10/hour"  # the defaults
    settings.ACTIONS_RATE_PER_CAMPAIGN = "600/minute"
    settings.FORM_MIN_FILL_SECONDS = 3
    client = Client()
    addresses = [f"198.51.100.{i}" for i in range(1, 11)]
    started = _started(10)  # a bot that waited the minimum once, then reuses the form
    today = dt.date.today().isoformat()
    codes: dict[int, int] = {}
    before = foundry.actions.count()
    began = time.time()
    for i in range(5_000):
        address = addresses[i % 10]
        form = {"kind": "rally", "date": today, "started": started, "submission": str(i)}
        for response in (
            client.post(RECORD, form, REMOTE_ADDR=address),
            client.post(API, {"campaign": FOUNDRY, "kind": "rally"}, content_type="application/json", REMOTE_ADDR=address),
        ):
            codes[response.status_code] = codes.get(response.status_code, 0) + 1
    counted = foundry.actions.count() - before
    # Fixed windows: a burst that runs across the top of an hour meets two of them.
    windows = int(time.time()) // 3600 - int(began) // 3600 + 1
    assert counted <= 100 * windows, codes
    assert not any(code >= 500 for code in codes), codes
    assert codes.get(429, 0) >= 10_000 - 200 * windows, codes
