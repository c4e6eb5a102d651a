"""Graceful overload: past the limit, intake is answered 503 with Retry-After at once, having recorded nothing."""

import threading

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve
from rest_framework.test import APIClient

from campaigns import models as m
from campaigns.middleware import IntakeLimitMiddleware

from .factories import CampaignFactory, TargetFactory


def _request(method: str, path: str):
    request = getattr(RequestFactory(), method)(path)
    request.resolver_match = resolve(path)
    return request


def test_past_the_limit_intake_is_busy_and_a_finished_request_frees_its_place(settings):
    settings.INTAKE_MAX_CONCURRENT, settings.INTAKE_RETRY_AFTER_SECONDS = 1, 3
    middleware = IntakeLimitMiddleware(lambda request: HttpResponse("ok"))
    first, second = _request("post", "/api/v1/actions/"), _request("post", "/c/some-campaign/record/")
    assert middleware.process_view(first, None, (), {}) is None, "the first takes the one place"
    busy = middleware.process_view(second, None, (), {})
    assert busy is not None and busy.status_code == 503 and busy["Retry-After"] == "3"
    api_busy = middleware.process_view(_request("post", "/api/v1/actions/"), None, (), {})
    assert api_busy is not None and b"try again" in api_busy.content
    reading = _request("get", "/api/v1/actions/")
    assert middleware.process_view(reading, None, (), {}) is None, "reads are never limited"
    middleware(first)  # the first request's answer goes out: its place is free again
    assert middleware.process_view(_request("post", "/api/v1/actions/"), None, (), {}) is None


@pytest.mark.django_db
def test_a_busy_answer_records_nothing(settings):
    """Through the whole stack: a request that finds every place taken writes nothing and says so."""
    settings.INTAKE_MAX_CONCURRENT = 1
    campaign = CampaignFactory(status="active")
    target = TargetFactory(campaign=campaign)
    client = APIClient()
    body = {"campaign": campaign.slug, "kind": "call", "targets": [target.pk]}
    assert client.post("/api/v1/actions/", body, format="json").status_code in (201, 202)
    chain = client.handler._middleware_chain
    limiter = _find_limiter(chain)
    assert limiter is not None and limiter.slots.acquire(blocking=False), "another request is being recorded"
    try:
        response = client.post("/api/v1/actions/", body, format="json")
    finally:
        limiter.slots.release()
    assert response.status_code == 503 and "Retry-After" in response
    assert m.Action.objects.filter(campaign=campaign).count() == 1
    assert client.post("/api/v1/actions/", {**body, "kind": "fax"}, format="json").status_code in (201, 202)


def _find_limiter(handler):
    """The IntakeLimitMiddleware instance in a loaded middleware chain (each wraps the next)."""
    seen = set()
    stack = [handler]
    while stack:
        item = stack.pop()
        if id(item) in seen or item is None:
            continue
        seen.add(id(item))
        if isinstance(item, IntakeLimitMiddleware):
            return item
        for name in ("get_response", "__wrapped__"):
            stack.append(getattr(item, name, None))
        stack.extend(c.cell_contents for c in (getattr(item, "__closure__", None) or ()) if callable(c.cell_contents))
    return None


def test_the_limit_is_safe_across_threads(settings):
    settings.INTAKE_MAX_CONCURRENT = 3
    middleware = IntakeLimitMiddleware(lambda request: HttpResponse("ok"))
    results: list[bool] = []
    lock = threading.Lock()

    def take():
        outcome = middleware.process_view(_request("post", "/api/v1/actions/"), None, (), {}) is None
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=take) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 3
