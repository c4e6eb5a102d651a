"""Supporters' pages (no account): campaigns, taking and recording actions, the printable letter, thanks."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import models as m
from ..languages import language_active
from ..letters import call_script, letter_pdf, mailto_url, signed_text, webmail_urls
from ..permissions import campaign_for_user
from ..selectors.campaigns import (
    campaign_countries,
    campaign_dates,
    campaign_message,
    campaign_page,
    campaign_reading,
    campaign_targets,
    campaigns_public_list,
    channels_known,
    letter_versions,
    organisation_actions,
    recent_public_actions,
    targets_language,
)
from ..selectors.totals import campaign_totals, campaigns_totals
from ..selectors.ways import way_for, ways_for
from ..services.actions import ActionTaken, action_take
from ..services.limits import action_limits_allow, client_address
from ..services.supporters import consent_token_load, supporter_consent_confirm
from ..share_image import share_image_png
from .forms import CampaignFilterForm, RecordActionForm, TakeActionForm
from .sharing import share_links

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
            "rows": [
                (campaign, totals[campaign.pk], campaign_reading(campaign=campaign, demands=False))
                for campaign in page.object_list
            ],
            "query": query.urlencode(),
            "filtered": any(data.values()),
        },
    )


def _campaign_context(request: HttpRequest, campaign: m.Campaign, form: TakeActionForm | None = None) -> dict:
    """What the campaign page shows: the story, the dates, the totals and the action form with its ways."""
    campaign = campaign_page(campaign=campaign)
    reading = campaign_reading(campaign=campaign, wanted=request.GET.get("lang", ""))
    targets = [t for t in campaign.targets.all() if t.role == m.Target.Role.TARGET]
    org_actions = organisation_actions(campaign=campaign)
    if form is None:
        form = TakeActionForm(
            campaign=campaign,
            targets=campaign_targets(campaign=campaign),
            source=request.GET.get("src", ""),
            letter=letter_versions(campaign=campaign, targets=targets, reading=reading.shown),
        )
    chosen = form.cleaned_data.get("targets") if form.is_bound and hasattr(form, "cleaned_data") else None
    ways = ways_for(targets=list(chosen) if chosen else targets)
    roles = m.CampaignOrganisation.Role
    involved = (roles.EMPLOYER, roles.AUTHORITY)
    organisations = list(campaign.campaign_organisations.all())
    totals = campaign_totals(campaign=campaign)
    return {
        "campaign": campaign,
        "reading": reading,
        "targets": targets,
        "copy_to": [t for t in campaign.targets.all() if t.role == m.Target.Role.COPY_TO],
        "totals": totals,
        "goal": goal_progress(campaign=campaign, actions=totals["actions"]),
        "recent": recent_public_actions(campaign=campaign),
        "organisation_actions": org_actions,
        "behind": [co for co in organisations if co.role not in involved and co.role != roles.OTHER],
        "involved": [co for co in organisations if co.role in involved],
        "also_named": [co for co in organisations if co.role == roles.OTHER],
        "dates": campaign_dates(campaign=campaign, organisation_actions=org_actions),
        "form": form,
        "letter": form.letter,
        "ways": ways,
        "primary": ways[0],
        "share": share_links(request=request, campaign=campaign),
    }


def goal_progress(*, campaign: m.Campaign, actions: int) -> dict | None:
    if not campaign.goal:
        return None
    return {"goal": campaign.goal, "actions": actions, "percent": min(100, round(100 * actions / campaign.goal))}


@require_GET
def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The campaign page is the action page: the story above, the form right there."""
    campaign = campaign_for_user(request.user, slug)
    return render(request, "campaigns/campaign_detail.html", _campaign_context(request, campaign))


@require_GET
def campaign_totals_fragment(request: HttpRequest, slug: str) -> HttpResponse:
    """The totals alone, for htmx to refresh on the campaign page."""
    campaign = campaign_for_user(request.user, slug)
    return render(request, "campaigns/_totals.html", {"campaign": campaign, "totals": campaign_totals(campaign=campaign)})


def _thanks_url(campaign: m.Campaign, taken: ActionTaken, *, embed: bool = False) -> str:
    # What was submitted, never the stored action's id or time: the token is readable, and the page must say
    # the same whether or not the e-mail address had acted before.
    token = signing.dumps(
        {
            "k": taken.action.kind,
            "t": sorted(t.pk for t in taken.action.targets.all()),
            "r": int(taken.repeat_shown),
            "c": int(taken.consent_asked),
            "o": taken.action.outcome,
            "d": [d.pk for d in taken.deliveries],
        },
        salt=THANKS_SALT,
    )
    return reverse("campaigns:embed_thanks" if embed else "campaigns:thanks", args=[campaign.slug, token])


def _supporter_fields(data: dict) -> dict:
    return {
        "name": data.get("name", ""),
        "email": data.get("email", ""),
        "organisation": data.get("organisation", ""),
        "country": data.get("country", ""),
        "consent_updates": bool(data.get("consent_updates")),
        "text_public": bool(data.get("text_public")),
        "submission": data.get("submission", ""),
        "language": data.get("language") or language_active(),  # the language they acted in
    }


def _over_limit(request: HttpRequest, campaign: m.Campaign) -> HttpResponse | None:
    """429 when this address, or everyone on this campaign, has recorded as many actions as the limits allow."""
    if request.user.is_authenticated or action_limits_allow(address=client_address(request.META), campaign_key=campaign.slug):
        return None
    response = render(request, "campaigns/too_many.html", {"campaign": campaign}, status=429)
    response["Retry-After"] = "600"
    return response


def take_action_post(request: HttpRequest, campaign: m.Campaign, *, embed: bool = False) -> HttpResponse | TakeActionForm:
    """Handle the action form: send it (e-mail, fax), or the next step (print, call, own e-mail); else the bound form."""
    campaign_page(campaign=campaign)
    shown = campaign_reading(campaign=campaign).shown
    offered = [t for t in campaign.targets.all() if t.role == m.Target.Role.TARGET]
    form = TakeActionForm(
        request.POST,
        campaign=campaign,
        targets=campaign_targets(campaign=campaign),
        letter=letter_versions(campaign=campaign, targets=offered, reading=shown),
    )
    if not form.is_valid() or form.way is None:
        return form
    data, way = form.cleaned_data, form.way
    chosen_language = targets_language(targets=data["targets"])
    letter_language = chosen_language if campaign_message(campaign=campaign, language=chosen_language) else ""
    if embed and not way.kind.sends:
        form.add_error(None, _("Open the campaign page to do this."))
        return form
    if way.kind.sends:
        if refused := _over_limit(request, campaign):
            return refused
        try:
            taken = action_take(
                campaign=campaign,
                kind=way.kind.action_kind,
                targets=list(data["targets"]),
                send=True,
                way=way.kind.channel,
                subject=data["subject"],
                text=_with_note(data),
                source=data.get("src", ""),
                letter_language=letter_language,
                **_supporter_fields(data),
            )
        except ValidationError as exc:
            form_add_errors(form, exc)
            return form
        return redirect(_thanks_url(campaign, taken, embed=embed))
    return _next_step(request, campaign, data, way.key)


@require_http_methods(["GET", "POST"])
def take_action(request: HttpRequest, slug: str) -> HttpResponse:
    """The form lives on the campaign page; this is where it posts (and old links land)."""
    campaign = campaign_for_user(request.user, slug)
    if request.method == "GET":
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(reverse("campaigns:campaign", args=[campaign.slug]) + query + "#act")
    result = take_action_post(request, campaign)
    if isinstance(result, HttpResponse):
        return result
    return render(request, "campaigns/campaign_detail.html", _campaign_context(request, campaign, result))


def _with_note(data: dict) -> str:
    """The letter, then the supporter's own note below it (in whatever language they wrote it)."""
    return "\n\n".join(part for part in (data["text"].strip(), (data.get("note") or "").strip()) if part)


def _step_payload(data: dict, way: str) -> dict:
    return {
        "path": way,
        "targets": [t.pk for t in data["targets"]],
        "subject": data["subject"],
        "text": _with_note(data),
        "letter_language": targets_language(targets=data["targets"]),  # the printed letter's
        "src": data.get("src", ""),
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


def _next_step(request: HttpRequest, campaign: m.Campaign, data: dict, way: str) -> HttpResponse:
    """Print it, call, or write from your own e-mail: the letter, the script or the links, then "I did this"."""
    payload = _step_payload(data, way)
    targets = list(data["targets"])
    copy_to = list(campaign_targets(campaign=campaign, role=m.Target.Role.COPY_TO))
    text = signed_text(text=_with_note(data), name=data["name"], organisation=data["organisation"], country=data["country"])
    context = {
        "campaign": campaign,
        "path": way,
        "targets": targets,
        "copy_to": copy_to,
        "token": signing.dumps(payload, salt=STEP_SALT, compress=True),
        "subject": data["subject"],
        "text": text,
        "faxes": channels_known(targets=targets, kind=m.Channel.Kind.FAX),
        "postal": channels_known(targets=targets, kind=m.Channel.Kind.POSTAL),
        "phones": channels_known(targets=targets, kind=m.Channel.Kind.PHONE),
        "fax_way": way_for(targets=targets, key="fax"),
        "outcomes": m.Action.Outcome.choices,
    }
    if way == "mail-app":
        reached = channels_known(targets=targets, kind=m.Channel.Kind.EMAIL)
        to = list(dict.fromkeys(c.value for _target, c in reached))
        cc = [c.value for _target, c in channels_known(targets=copy_to, kind=m.Channel.Kind.EMAIL)]
        context["reached"] = reached
        context["mailto"] = mailto_url(to=to, cc=cc, subject=data["subject"], body=text)
        context["webmail"] = webmail_urls(to=to, cc=cc, subject=data["subject"], body=text)
    if way == "call":
        context["scripts"] = [
            (target, channel, call_script(campaign=campaign, target=target, name=data["name"]))
            for target, channel in context["phones"]
        ]
    return render(request, "campaigns/act_next.html", context)


# What "I did this" records for each button of a step: the action kind and the channel kind it used.
DONE_WAYS = {
    "mail-app": (m.Action.Kind.EMAIL, m.Channel.Kind.EMAIL),
    "fax": (m.Action.Kind.FAX, m.Channel.Kind.FAX),
    "postal": (m.Action.Kind.LETTER, m.Channel.Kind.POSTAL),
    "hand": (m.Action.Kind.LETTER, ""),
    "call": (m.Action.Kind.CALL, m.Channel.Kind.PHONE),
}


@require_POST
def action_done(request: HttpRequest, slug: str) -> HttpResponse:
    """ "I did this": record what the supporter sent themselves (e-mail, fax, post), a call and how it went."""
    campaign = campaign_for_user(request.user, slug)
    try:
        payload = _step_load(request)
    except _StepExpired:
        return _step_expired(request, campaign)
    done = request.POST.get("done", "")
    outcome = request.POST.get("outcome", "")
    if done not in DONE_WAYS or (done == "call") != bool(outcome):
        return _step_expired(request, campaign)
    kind, channel_kind = DONE_WAYS[done]
    targets = list(campaign_targets(campaign=campaign).filter(pk__in=payload["targets"]))
    reached = channels_known(targets=targets, kind=channel_kind) if channel_kind else []
    if channel_kind and not reached:
        return _step_expired(request, campaign)  # never count a way whose address is unknown
    if reached:
        targets = list({t.pk: t for t, _channel in reached}.values())
    if refused := _over_limit(request, campaign):
        return refused
    try:
        taken = action_take(
            campaign=campaign,
            kind=kind,
            targets=targets,
            channel=reached[0][1] if reached else None,
            subject=payload["subject"],
            text=payload["text"],
            outcome=outcome,
            source=payload.get("src", ""),
            text_public=bool(payload.get("text_public")),
            **{k: payload[k] for k in ("name", "email", "organisation", "country", "consent_updates", "submission")},
        )
    except ValidationError:
        return _step_expired(request, campaign)
    return redirect(_thanks_url(campaign, taken))


@require_POST
def letter(request: HttpRequest, slug: str) -> HttpResponse:
    """The printable letter (PDF), from the "print it" step's token."""
    campaign = campaign_for_user(request.user, slug)
    try:
        payload = _step_load(request)
    except _StepExpired:
        return _step_expired(request, campaign)
    targets = list(campaign_targets(campaign=campaign).filter(pk__in=payload["targets"]))
    pdf = letter_pdf(
        campaign=campaign,
        targets=targets,
        subject=payload["subject"],
        text=payload["text"],
        name=payload["name"],
        organisation=payload["organisation"],
        country=payload["country"],
        language=payload.get("letter_language", ""),
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
        if refused := _over_limit(request, campaign):
            return refused
        try:
            taken = action_take(
                campaign=campaign,
                kind=data["kind"],
                targets=list(data["targets"]),
                date=data["date"],
                text=data["text"],
                **_supporter_fields(data),
            )
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            return redirect(_thanks_url(campaign, taken))
    return render(request, "campaigns/record_action.html", {"campaign": campaign, "form": form})


@dataclass(frozen=True)
class _Thanks:
    """What the supporter did, as they submitted it."""

    kind_label: str
    targets: list[m.Target]
    outcome_label: str
    repeat: bool
    consent_asked: bool


def _thanks_load(campaign: m.Campaign, token: str) -> tuple[_Thanks, list[m.Delivery]]:
    try:
        data = signing.loads(token, salt=THANKS_SALT)
        kind_label = m.Action.Kind(data["k"]).label
        target_ids = [int(pk) for pk in data["t"]]
        delivery_ids = [int(pk) for pk in data.get("d") or []]
    except (signing.BadSignature, KeyError, ValueError, TypeError):
        raise Http404("No such action.") from None
    mine = m.Delivery.objects.filter(pk__in=delivery_ids, campaign=campaign, purpose="action")
    deliveries = list(mine.select_related("channel").order_by("id")) if delivery_ids else []
    targets = list(campaign_targets(campaign=campaign).filter(pk__in=target_ids)) if target_ids else []
    outcome = m.Action.Outcome(data["o"]).label if data.get("o") else ""
    done = _Thanks(str(kind_label), targets, str(outcome), bool(data.get("r")), bool(data.get("c")))
    return done, deliveries


def _thanks_context(request: HttpRequest, campaign: m.Campaign, token: str) -> dict:
    done, deliveries = _thanks_load(campaign, token)
    return {
        "campaign": campaign,
        "done": done,
        "repeat": done.repeat,
        "deliveries": deliveries,
        "token": token,
        "totals": campaign_totals(campaign=campaign),
        "share": share_links(request=request, campaign=campaign),
    }


@require_GET
def thanks(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    campaign = campaign_for_user(request.user, slug)
    return render(request, "campaigns/thanks.html", _thanks_context(request, campaign, token))


@require_GET
def delivery_state(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Where the e-mail or fax the platform sends stands; htmx polls it until it is sent or has failed."""
    campaign = campaign_for_user(request.user, slug)
    _done, deliveries = _thanks_load(campaign, token)
    if not deliveries:
        raise Http404("Nothing was sent from here.")
    return render(request, "campaigns/_delivery_state.html", {"campaign": campaign, "deliveries": deliveries, "token": token})


SHARE_IMAGE_SECONDS = 300


@require_GET
def share_image(request: HttpRequest, slug: str) -> HttpResponse:
    """The Open Graph picture: title, targets, counter.

    Drawn at most once per campaign every SHARE_IMAGE_SECONDS (and when the campaign is edited), not
    once per new action: a viral campaign's previews cost a render every few minutes, whatever the pace.
    """
    campaign = campaign_for_user(request.user, slug)
    window = int(time.time() // SHARE_IMAGE_SECONDS)
    key = f"share-image:{campaign.pk}:{campaign.modified.timestamp()}:{window}"
    png = cache.get(key)
    if png is None:
        actions = campaign_totals(campaign=campaign)["actions"]
        targets = list(campaign_targets(campaign=campaign).values_list("name", flat=True)[:3])
        png = share_image_png(title=campaign.title, targets=targets, actions=actions, goal=campaign.goal)
        cache.set(key, png, SHARE_IMAGE_SECONDS * 2)
    response = HttpResponse(png, content_type="image/png")
    patch_cache_control(response, public=True, max_age=SHARE_IMAGE_SECONDS)
    return response


def _frame_ancestors(response: HttpResponse, campaign: m.Campaign) -> HttpResponse:
    """Only the origins the organisers listed may frame the embedded form; nobody else, not even this site."""
    origins = m.embed_origins_list(campaign.embed_origins)
    response["Content-Security-Policy"] = "frame-ancestors " + (" ".join(origins) if origins else "'none'")
    return response


# The embedded form is posted from inside another site's page, where browsers withhold this site's
# cookies (so no CSRF cookie either). It needs no session: an anonymous action, limited like any other.
@csrf_exempt
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    """The compact action form for an iframe on a union's own site: the ways this site sends, else a link here."""
    campaign = campaign_for_user(request.user, slug)
    form: TakeActionForm | None = None
    if request.method == "POST":
        result = take_action_post(request, campaign, embed=True)
        if isinstance(result, HttpResponse) and result.status_code in (302, 429):
            return _frame_ancestors(result, campaign)
        form = result if isinstance(result, TakeActionForm) else None
    context = _campaign_context(request, campaign, form)
    context["embed"] = True
    context["sending_ways"] = [w for w in context["ways"] if w.kind.sends]
    return _frame_ancestors(render(request, "campaigns/embed.html", context), campaign)


@xframe_options_exempt
@require_GET
def embed_thanks(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    campaign = campaign_for_user(request.user, slug)
    context = {**_thanks_context(request, campaign, token), "embed": True}
    return _frame_ancestors(render(request, "campaigns/embed_thanks.html", context), campaign)


@require_http_methods(["GET", "POST"])
def consent_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link e-mailed to a supporter who asked for news: GET asks (mail scanners fetch links), POST confirms."""
    found = consent_token_load(token=token)
    if found is None:
        raise Http404(_("This confirmation link is not valid, or has expired."))
    supporter, campaign = found
    if request.method == "POST":
        supporter_consent_confirm(supporter=supporter)
        return render(request, "campaigns/consent_confirm.html", {"campaign": campaign, "done": True})
    return render(request, "campaigns/consent_confirm.html", {"campaign": campaign, "done": False})
