"""The API against its own OpenAPI schema: schemathesis finds no 5xx and no answer the schema does not describe.

A client that knows only the schema lists campaigns, reads one as a campaign document and records an
action. Then, for every operation, schemathesis sends generated requests (valid and invalid, anonymous
and as an organiser, with random and with real ids) through the WSGI app in this test's transaction.
"""

import io

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from campaigns import models as m
from campaigns.services.api import api_token_create

FOUNDRY = "irtyshskii-foundry-nationalisation"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 15  # per operation, per generation mode, per pass: keeps the whole file near a minute on 2 cores
POSITIVE = (GenerationMode.POSITIVE,)
BOTH = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


class InTransactionWSGIHandler(WSGIHandler):
    """Django's WSGI app, as a server runs it, but inside the test's transaction.

    Django closes stale connections at each request's start and end, which would close the test's
    connection in the middle of its transaction; Django's own test client stops that for each request
    (and starts it again after), so this does the same at each call.
    """

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        return super().__call__(environ, start_response)


@pytest.fixture
def wsgi_app(settings):
    settings.API_SUPPORTER_ACTIONS_RATE = "100000/minute"
    yield InTransactionWSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api(db, organisation, organiser, wsgi_app):
    """The schema as the app serves it, bound to the app; with the seed campaigns and an organiser's token."""
    call_command("load_seeds", stdout=io.StringIO())
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    return schema, {"Authorization": f"Token {api_token_create(user=organiser).key}"}


def test_the_schema_is_valid_openapi(api):
    schema, _ = api
    validate_schema(schema.raw_schema)


def test_the_schema_passes_openapi_spec_validator(api):
    """A second, stricter validator than drf-spectacular's, the one client generators rely on."""
    from openapi_spec_validator import OpenAPIV30SpecValidator

    schema, _ = api
    validator = OpenAPIV30SpecValidator(schema.raw_schema)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors()]
    assert errors == []


def test_public_reads_need_no_authentication(api):
    """Every GET but the people (personal data) may be made anonymously: no security requirement on it."""
    schema, _ = api
    needing_auth = [path for path, operations in schema.raw_schema["paths"].items() if operations.get("get", {}).get("security")]
    assert needing_auth == ["/api/osdi/v1/people", "/api/osdi/v1/people/{id}", "/api/osdi/v1/people/{id}/outreaches"]


def test_a_client_that_knows_only_the_schema(api):
    """List campaigns, read one as a campaign document, record an action; each answer as the schema says."""
    schema, _ = api
    listing = schema["/api/v1/campaigns/"]["GET"].Case()
    response = listing.call()
    listing.validate_response(response, checks=CHECKS)
    slug = response.json()["results"][0]["slug"]

    detail = schema["/api/v1/campaigns/{slug}/"]["GET"].Case(path_parameters={"slug": slug})
    response = detail.call()
    detail.validate_response(response, checks=CHECKS)
    document = response.json()
    assert document["slug"] == slug

    body = {"campaign": slug, "kind": "email", "targets": [document["targets"][0]["name"]], "text": "Solidarity."}
    record = schema["/api/v1/actions/"]["POST"].Case(body=body, headers={"Idempotency-Key": "first-try"})
    first = record.call()
    record.validate_response(first, checks=CHECKS)
    assert first.status_code == 202, "a receipt: only the campaign's organisers get the action back"
    retry = record.call()
    assert retry.status_code == 202 and retry.json() == first.json()
    assert m.Action.objects.filter(campaign__slug=slug, text="Solidarity.").count() == 1


def _real_parameters() -> dict:
    """Path parameters that name rows which exist, per path, so that generated requests reach real data."""
    foundry = m.Campaign.objects.get(slug=FOUNDRY)
    action = m.Action.objects.filter(supporter__isnull=False).first() or m.Action.objects.first()
    response = m.Response.objects.first()
    return {
        "/api/v1/campaigns/{slug}/": {"slug": FOUNDRY},
        "/api/v1/campaigns/{slug}/totals/": {"slug": FOUNDRY},
        "/api/v1/organisations/{id}/": {"id": foundry.owner_id},
        "/api/v1/targets/{id}/": {"id": foundry.targets.first().pk},
        "/api/v1/demands/{id}/": {"id": foundry.demands.first().pk},
        "/api/v1/people/{id}/": {"id": foundry.people.first().pk},
        "/api/v1/people/{id}/status/": {"id": foundry.people.first().pk},
        "/api/v1/events/{id}/": {"id": foundry.events.first().pk},
        "/api/v1/actions/{id}/": {"id": action.pk},
        "/api/v1/responses/{id}/": {"id": response.pk} if response else None,
        "/api/osdi/v1/advocacy_campaigns/{slug}": {"slug": FOUNDRY},
        "/api/osdi/v1/advocacy_campaigns/{slug}/outreaches": {"slug": FOUNDRY},
        "/api/osdi/v1/advocacy_campaigns/{slug}/outreaches/{id}": {"slug": action.campaign.slug, "id": action.pk},
        "/api/osdi/v1/advocacy_campaigns/{slug}/record_outreach_helper": {"slug": FOUNDRY},
        "/api/osdi/v1/people/{id}": {"id": action.supporter_id} if action.supporter_id else None,
        "/api/osdi/v1/people/{id}/outreaches": {"id": action.supporter_id} if action.supporter_id else None,
    }


def _without(items, key):
    """Each item with an empty list at `key`: generated channels and target names rarely validate."""
    return [{**item, key: []} if isinstance(item, dict) else item for item in items] if isinstance(items, list) else items


def _document(body):
    return {
        **body,
        "targets": _without(body.get("targets"), "channels"),
        "copy_to": _without(body.get("copy_to"), "channels"),
        "actions": _without(body.get("actions"), "targets"),
        "responses": [],
    }


# Generated bodies rarely name things that exist; these make valid ones that reach the services.
REPAIRS = {
    ("POST", "/api/v1/actions/"): lambda body: {
        **{k: v for k, v in body.items() if k not in ("channel", "organisations")},
        "campaign": FOUNDRY,
        "targets": ["Kazakhmys"],
    },
    ("POST", "/api/v1/responses/"): lambda body: {
        **{k: v for k, v in body.items() if k != "action"},
        "campaign": FOUNDRY,
        "target": "Kazakhmys",
    },
    ("POST", "/api/osdi/v1/advocacy_campaigns/{slug}/record_outreach_helper"): lambda body: {
        **body,
        "type": "email",
        "targets": [{"organization": "Kazakhmys"}],
    },
    ("PUT", "/api/v1/campaigns/{slug}/"): lambda body: {**_document(body), "slug": FOUNDRY},
    ("POST", "/api/v1/campaigns/"): _document,
}


def _repaired(operation, case):
    repair = REPAIRS.get((operation.method.upper(), operation.path))
    if repair and isinstance(case.body, dict):
        case.body = repair(case.body)
    return case


def _fuzz(operation, *, headers: dict | None, path_parameters: dict | None, mode: GenerationMode, repair=False) -> None:
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)
    if repair:
        strategy = strategy.map(lambda case: _repaired(operation, case))

    @given(case=strategy)
    @hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


@pytest.mark.schemathesis
def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(api):
    schema, organiser_headers = api
    # Some actions with supporters, so that people, outreaches and personal fields have something to show.
    for name in ("Ann Secret", "Bo Li"):
        supporter = {"name": name, "email": "a@b.org", "country": "GB"}
        body = {"campaign": FOUNDRY, "kind": "email", "targets": ["Kazakhmys"], "supporter": supporter}
        assert schema["/api/v1/actions/"]["POST"].Case(body=body).call().status_code == 202
    real = _real_parameters()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    for operation in operations:
        key = (operation.method.upper(), operation.path)
        writes = key[0] != "GET" or "/osdi/v1/people" in key[1]  # what anonymous clients mostly cannot do
        # (who, path parameters, repair the body, generation modes)
        passes = [(None, None, False, BOTH)]
        if writes:
            passes.append((organiser_headers, None, False, BOTH))
        if real.get(operation.path):
            passes.append((None, real[operation.path], False, POSITIVE))
            passes.append((organiser_headers, real[operation.path], False, BOTH if writes else POSITIVE))
        if key in REPAIRS:
            passes += [
                (None, real.get(operation.path), True, POSITIVE),
                (organiser_headers, real.get(operation.path), True, POSITIVE),
            ]
        for headers, path_parameters, repair, modes in passes:
            for mode in modes:
                try:
                    _fuzz(operation, headers=headers, path_parameters=path_parameters, mode=mode, repair=repair)
                except Unsatisfiable:
                    continue  # nothing to make invalid: an operation without parameters or body
                except Exception as exc:
                    who = "organiser" if headers else "anonymous"
                    raise AssertionError(f"{operation.method.upper()} {operation.path} ({who}, {mode}): {exc}") from exc
