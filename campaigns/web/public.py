"""Supporters' pages (no account): campaigns, taking and recording actions, the printable letter, thanks."""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import models as m
from ..letters import letter_pdf, mailto_url, signed_text
from ..permissions import campaign_for_user
from ..selectors.campaigns import (
    campaign_countries,
    campaign_page,
    campaign_targets,
    campaigns_public_list,
    channels_known,
    organisation_actions,
)
from ..selectors.totals import campaign_totals, campaigns_totals
from ..services.actions import KIND_FOR_CHANNEL, ActionTaken, action_take
from .forms import CampaignFilterForm, RecordActionForm, TakeActionForm

PAGE_SIZE = 20
STEP_SALT = "campaigns.act.step"
THANKS_SALT = "campaigns.act.thanks"
STEP_MAX_AGE = dt.timedelta(days=2)


def form_add_errors(form, exc: ValidationError) -> None:
    """Put a service's field-keyed errors beside the form's fields (or above the form)."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, messages in errors.items():
        form.add_error(field if field in form.fields else None, messages)


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    filters = CampaignFilterForm(request.GET or None, countries=campaign_countries(user=request.user))
    data: dict = {}
    if filters.is_bound:
        filters.is_valid()  # a value that is not a choice is ignored; the valid ones still filter
        data = filters.cleaned_data
    campaigns = campaigns_public_list(
        user=request.user, query=data.get("q", ""), country=data.get("country", ""), status=data.get("status", "")
    )
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    totals = campaigns_totals(campaigns=page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "filters": filters,
            "page": page,
            "rows": [(campaign, totals[campaign.pk]) for campaign in page.object_list],
            "query": query.urlencode(),
            "filtered": any(data.values()),
        },
    )


@require_GET
def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_page(campaign=campaign_for_user(request.user, slug))
    targets = [t for t in campaign.targets.all() if t.role == m.Target.Role.TARGET]
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "targets": targets,
            "copy_to": [t for t in campaign.targets.all() if t.role == m.Target.Role.COPY_TO],
            "totals": campaign_totals(campaign=campaign),
            "organisation_actions": organisation_actions(campaign=campaign),
        },
    )


@require_GET
def campaign_totals_fragment(request: HttpRequest, slug: str) -> HttpResponse:
    """The totals alone, for htmx to refresh on the campaign page."""
    campaign = campaign_for_user(request.user, slug)
    return render(request, "campaigns/_totals.html", {"campaign": campaign, "totals": campaign_totals(campaign=campaign)})


def _thanks_url(campaign: m.Campaign, taken: ActionTaken) -> str:
    token = signing.dumps(
        {"a": taken.action.pk, "r": int(taken.repeat), "d": taken.delivery.pk if taken.delivery else None}, salt=THANKS_SALT
    )
    return reverse("campaigns:thanks", args=[campaign.slug, token])


def _supporter_fields(data: dict) -> dict:
    return {
        "name": data.get("name", ""),
        "email": data.get("email", ""),
        "organisation": data.get("organisation", ""),
        "country": data.get("country", ""),
        "consent_updates": bool(data.get("consent_updates")),
        "submission": data.get("submission", ""),
    }


@require_http_methods(["GET", "POST"])
def take_action(request: HttpRequest, slug: str) -> HttpResponse:
    """Choose target(s), a way and the message; then send it from here, send it yourself, or print it."""
    campaign = campaign_for_user(request.user, slug)
    targets = campaign_targets(campaign=campaign)
    if request.method == "POST":
        path = request.POST.get("path", "")
        form = TakeActionForm(request.POST, campaign=campaign, targets=targets, path=path)
        if form.is_valid():
            data = form.cleaned_data
            if path != "send":
                return _next_step(request, campaign, data, path)
            try:
                taken = action_take(
                    campaign=campaign,
                    kind=m.Action.Kind.EMAIL,
                    targets=list(data["targets"]),
                    send=True,
                    subject=data["subject"],
                    text=data["text"],
                    **_supporter_fields(data),
                )
            except ValidationError as exc:
                form_add_errors(form, exc)
            else:
                return redirect(_thanks_url(campaign, taken))
    else:
        form = TakeActionForm(campaign=campaign, targets=targets)
    can_send = bool(channels_known(targets=targets, kind=m.Channel.Kind.EMAIL))
    return render(request, "campaigns/take_action.html", {"campaign": campaign, "form": form, "can_send": can_send})


def _step_payload(data: dict, path: str) -> dict:
    return {
        "path": path,
        "targets": [t.pk for t in data["targets"]],
        "way": data["channel"],
        "subject": data["subject"],
        "text": data["text"],
        **_supporter_fields(data),
    }


class _StepExpired(Exception):
    pass


def _step_load(request: HttpRequest) -> dict:
    try:
        return signing.loads(request.POST.get("token", ""), salt=STEP_SALT, max_age=STEP_MAX_AGE)
    except signing.BadSignature as exc:
        raise _StepExpired from exc


def _step_expired(request: HttpRequest, campaign: m.Campaign) -> HttpResponse:
    return render(request, "campaigns/step_expired.html", {"campaign": campaign}, status=400)


def _next_step(request: HttpRequest, campaign: m.Campaign, data: dict, path: str) -> HttpResponse:
    """Send it yourself or print it: the addresses, the mailto: link or the letter, then "I did this"."""
    payload = _step_payload(data, path)
    targets = list(data["targets"])
    way = data["channel"]
    copy_to = list(campaign_targets(campaign=campaign, role=m.Target.Role.COPY_TO))
    context = {
        "campaign": campaign,
        "path": path,
        "way": way,
        "targets": targets,
        "copy_to": copy_to,
        "token": signing.dumps(payload, salt=STEP_SALT, compress=True),
        "subject": data["subject"],
        "text": signed_text(text=data["text"], name=data["name"], organisation=data["organisation"], country=data["country"]),
    }
    if path == "yourself":
        reached = channels_known(targets=targets, kind=way)
        context["reached"] = reached
        if way == m.Channel.Kind.EMAIL:
            context["mailto"] = mailto_url(
                to=list(dict.fromkeys(c.value for _, c in reached)),
                cc=[c.value for _, c in channels_known(targets=copy_to, kind=m.Channel.Kind.EMAIL)],
                subject=data["subject"],
                body=context["text"],
            )
    else:
        context["faxes"] = channels_known(targets=targets, kind=m.Channel.Kind.FAX)
        context["postal"] = channels_known(targets=targets, kind=m.Channel.Kind.POSTAL)
    return render(request, "campaigns/act_next.html", context)


@require_POST
def action_done(request: HttpRequest, slug: str) -> HttpResponse:
    """ "I did this": record what the supporter sent themselves (email, fax, call) or the letter they printed."""
    campaign = campaign_for_user(request.user, slug)
    try:
        payload = _step_load(request)
    except _StepExpired:
        return _step_expired(request, campaign)
    way = request.POST.get("way") or payload["way"]
    if way not in KIND_FOR_CHANNEL:
        return _step_expired(request, campaign)
    targets = list(campaign_targets(campaign=campaign).filter(pk__in=payload["targets"]))
    reached = channels_known(targets=targets, kind=way)
    if payload["path"] == "yourself" and reached:
        targets = list({t.pk: t for t, _ in reached}.values())
    try:
        taken = action_take(
            campaign=campaign,
            kind=KIND_FOR_CHANNEL[way],
            targets=targets,
            channel=reached[0][1] if reached else None,
            subject=payload["subject"],
            text=payload["text"],
            **{k: payload[k] for k in ("name", "email", "organisation", "country", "consent_updates", "submission")},
        )
    except ValidationError:
        return _step_expired(request, campaign)
    return redirect(_thanks_url(campaign, taken))


@require_POST
def letter(request: HttpRequest, slug: str) -> HttpResponse:
    """The printable letter (PDF), from the "print it" step's token or straight from the action form."""
    campaign = campaign_for_user(request.user, slug)
    if "token" in request.POST:
        try:
            payload = _step_load(request)
        except _StepExpired:
            return _step_expired(request, campaign)
        targets = list(campaign_targets(campaign=campaign).filter(pk__in=payload["targets"]))
    else:
        form = TakeActionForm(request.POST, campaign=campaign, targets=campaign_targets(campaign=campaign), path="print")
        if not form.is_valid():
            return render(request, "campaigns/take_action.html", {"campaign": campaign, "form": form, "can_send": True})
        payload = _step_payload(form.cleaned_data, "print")
        targets = list(form.cleaned_data["targets"])
    pdf = letter_pdf(
        campaign=campaign,
        targets=targets,
        subject=payload["subject"],
        text=payload["text"],
        name=payload["name"],
        organisation=payload["organisation"],
        country=payload["country"],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="letter-{campaign.slug}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def record_action(request: HttpRequest, slug: str) -> HttpResponse:
    """Record something done elsewhere: a fax, a call, a picket, a motion, a donation ..."""
    campaign = campaign_for_user(request.user, slug)
    targets = campaign_targets(campaign=campaign)
    form = RecordActionForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            taken = action_take(
                campaign=campaign,
                kind=data["kind"],
                targets=list(data["targets"]),
                date=data["date"],
                represents=data["represents"],
                text=data["text"],
                **_supporter_fields(data),
            )
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            return redirect(_thanks_url(campaign, taken))
    return render(request, "campaigns/record_action.html", {"campaign": campaign, "form": form})


def _thanks_load(campaign: m.Campaign, token: str) -> tuple[m.Action, bool, m.Delivery | None]:
    try:
        data = signing.loads(token, salt=THANKS_SALT)
    except signing.BadSignature:
        raise Http404("No such action.") from None
    action = m.Action.objects.filter(pk=data["a"], campaign=campaign).prefetch_related("targets").first()
    if action is None:
        raise Http404("No such action.")
    delivery = m.Delivery.objects.filter(pk=data["d"], action=action).first() if data.get("d") else None
    return action, bool(data.get("r")), delivery


@require_GET
def thanks(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    campaign = campaign_for_user(request.user, slug)
    action, repeat, delivery = _thanks_load(campaign, token)
    share_url = request.build_absolute_uri(reverse("campaigns:campaign", args=[campaign.slug]))
    return render(
        request,
        "campaigns/thanks.html",
        {
            "campaign": campaign,
            "action": action,
            "repeat": repeat,
            "delivery": delivery,
            "token": token,
            "totals": campaign_totals(campaign=campaign),
            "share_url": share_url,
            "share_mailto": mailto_url(to=[], subject=campaign.title, body=f"{campaign.summary}\n\nAct now: {share_url}"),
        },
    )


@require_GET
def delivery_state(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Where the email the platform sends stands; htmx polls it until it is sent or has failed."""
    campaign = campaign_for_user(request.user, slug)
    _action, _repeat, delivery = _thanks_load(campaign, token)
    if delivery is None:
        raise Http404("Nothing was sent from here.")
    return render(request, "campaigns/_delivery_state.html", {"campaign": campaign, "delivery": delivery, "token": token})
