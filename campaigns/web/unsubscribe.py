"""Unsubscribing from campaign news: a page with a button, and RFC 8058 one-click for mail software."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ..selectors.supporters import supporter_by_unsubscribe_token
from ..services.notifications import supporter_unsubscribe


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET only asks (link checkers and mail scanners fetch links); POST unsubscribes."""
    supporter = supporter_by_unsubscribe_token(token=token)
    if supporter is None:
        raise Http404(_("This unsubscribe link is not valid."))
    if request.method == "POST":
        supporter_unsubscribe(token=token)
        return render(request, "campaigns/unsubscribe.html", {"done": True})
    return render(request, "campaigns/unsubscribe.html", {"done": False, "subscribed": supporter.consent_updates})


@csrf_exempt  # RFC 8058: mail software POSTs "List-Unsubscribe=One-Click" with no cookie or token; the URL is the secret.
@require_POST
def unsubscribe_one_click(request: HttpRequest, token: str) -> HttpResponse:
    if not supporter_unsubscribe(token=token):
        raise Http404(_("This unsubscribe link is not valid."))
    return HttpResponse(
        _("You will get no more news from campaigns you acted on.") + "\n", content_type="text/plain; charset=utf-8"
    )
