"""Organisers' pages: a campaign's dashboard, the CSV of its actions, and the record forms (htmx or plain POST)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .. import models as m
from ..permissions import campaign_for_user, campaigns_managed_by
from ..selectors.campaigns import (
    EXPORT_COLUMNS,
    actions_export_rows,
    campaign_page,
    campaign_responses,
    delivery_summary,
    recent_actions,
)
from ..selectors.totals import campaign_totals, campaigns_totals
from ..services.campaigns import demand_outcome_set, update_post
from ..services.people import person_status_set
from ..services.responses import response_record
from ..services.targets import channel_fill
from ..spreadsheets import csv_lines
from .forms import AddressForm, DemandOutcomeForm, PersonStatusForm, ResponseForm, UpdateForm
from .public import form_add_errors


@never_cache
@login_required
@require_GET
def organise_index(request: HttpRequest) -> HttpResponse:
    campaigns = list(campaigns_managed_by(request.user).select_related("owner").order_by("status", "-created"))
    totals = campaigns_totals(campaigns=campaigns)
    return render(request, "campaigns/organise/index.html", {"rows": [(c, totals[c.pk]) for c in campaigns]})


def _forms(campaign: m.Campaign, bound: dict | None = None) -> dict:
    bound = bound or {}
    return {
        "response": bound.get("response") or ResponseForm(campaign=campaign, prefix="response"),
        "outcome": bound.get("outcome") or DemandOutcomeForm(campaign=campaign, prefix="outcome"),
        "status": bound.get("status") or PersonStatusForm(campaign=campaign, prefix="status"),
        "update": bound.get("update") or UpdateForm(prefix="update"),
        "address": bound.get("address") or AddressForm(campaign=campaign, prefix="address"),
    }


def _dashboard(request: HttpRequest, campaign: m.Campaign, bound: dict | None = None) -> HttpResponse:
    campaign_page(campaign=campaign)
    context = {
        "campaign": campaign,
        "targets": [t for t in campaign.targets.all() if t.role == m.Target.Role.TARGET],
        "totals": campaign_totals(campaign=campaign),
        "recent": recent_actions(campaign=campaign),
        "deliveries": delivery_summary(campaign=campaign),
        "responses": campaign_responses(campaign=campaign),
        "forms": _forms(campaign, bound),
    }
    context["copy_to"] = [t for t in campaign.targets.all() if t.role == m.Target.Role.COPY_TO]
    context["embed_origins"] = m.embed_origins_list(campaign.embed_origins)
    embed_url = request.build_absolute_uri(reverse("campaigns:embed", args=[campaign.slug]))
    context["embed_snippet"] = (
        f'<iframe src="{embed_url}" title="{escape(campaign.title)}" width="100%" height="900" '
        'style="border:0;max-width:40rem" loading="lazy"></iframe>'
    )
    return render(request, "campaigns/organise/dashboard.html", context)


@never_cache
@login_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Everything that happened on a campaign. Supporters' details: only for its organisation's organisers."""
    return _dashboard(request, campaign_for_user(request.user, slug, write=True))


def _csv_rows(campaign: m.Campaign) -> Iterator[list]:
    yield EXPORT_COLUMNS
    yield from actions_export_rows(campaign=campaign)


@never_cache
@login_required
@require_GET
def actions_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Every action of the campaign as CSV, streamed in chunks so a million rows fit in little memory."""
    campaign = campaign_for_user(request.user, slug, write=True)
    response = StreamingHttpResponse(csv_lines(_csv_rows(campaign)), content_type="text/csv; charset=utf-8")
    filename = f"actions-{campaign.slug}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _record(
    request: HttpRequest,
    slug: str,
    *,
    name: str,
    form_class: type,
    write: Callable[[m.Campaign, dict], object],
    done: str,
) -> HttpResponse:
    """A dashboard form: with htmx, answer with its section; without, redirect (or show the dashboard with errors)."""
    campaign = campaign_for_user(request.user, slug, write=True)
    kwargs = {} if form_class is UpdateForm else {"campaign": campaign}
    form = form_class(request.POST, prefix=name, **kwargs)
    saved = False
    if form.is_valid():
        try:
            write(campaign, form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            saved = True
    htmx = request.headers.get("HX-Request") == "true"
    if saved and not htmx:
        messages.success(request, done)
        return redirect(reverse("campaigns:dashboard", args=[campaign.slug]) + f"#{name}")
    if not htmx:
        return _dashboard(request, campaign, bound={name: form})
    campaign_page(campaign=campaign)
    context = {
        "campaign": campaign,
        "targets": [t for t in campaign.targets.all() if t.role == m.Target.Role.TARGET],
        "copy_to": [t for t in campaign.targets.all() if t.role == m.Target.Role.COPY_TO],
        "forms": _forms(campaign, None if saved else {name: form}),
        "responses": campaign_responses(campaign=campaign) if name == "response" else [],
        "done": done if saved else "",
    }
    return render(request, f"campaigns/organise/_{name}.html", context)


@login_required
@require_POST
def response_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _record(
        request,
        slug,
        name="response",
        form_class=ResponseForm,
        write=lambda campaign, d: response_record(
            campaign=campaign,
            target=d["target"],
            classification=d["classification"],
            summary=d["summary"],
            date=d["date"],
            channel=d["channel"],
            reading=d["reading"],
            recorded_by=request.user,
        ),
        done=_("The response is recorded."),
    )


@login_required
@require_POST
def outcome_set(request: HttpRequest, slug: str) -> HttpResponse:
    return _record(
        request,
        slug,
        name="outcome",
        form_class=DemandOutcomeForm,
        write=lambda campaign, d: demand_outcome_set(
            demand=d["demand"], status=d["status"], date=d["date"], evidence=d["evidence"]
        ),
        done=_("The demand's outcome is recorded."),
    )


@login_required
@require_POST
def status_set(request: HttpRequest, slug: str) -> HttpResponse:
    return _record(
        request,
        slug,
        name="status",
        form_class=PersonStatusForm,
        write=lambda campaign, d: person_status_set(person=d["person"], status=d["status"], date=d["date"], text=d["text"]),
        done=_("The new status is recorded."),
    )


@login_required
@require_POST
def update_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _record(
        request,
        slug,
        name="update",
        form_class=UpdateForm,
        write=lambda campaign, d: update_post(
            campaign=campaign, title=d["title"], text=d["text"], date=d["date"], author=request.user
        ),
        done=_("The update is posted."),
    )


@login_required
@require_POST
def address_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _record(
        request,
        slug,
        name="address",
        form_class=AddressForm,
        write=lambda campaign, d: channel_fill(target=d["target"], kind=d["kind"], value=d["value"], label=d["label"]),
        done=_("The address is saved."),
    )
