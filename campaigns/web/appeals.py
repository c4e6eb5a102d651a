"""Organiser pages for appeal import: paste or upload an appeal, review the draft as editable rows beside the source, save it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..appeals.draft import AppealDraft
from ..appeals.highlight import highlight
from ..appeals.reading import AppealReadError, max_bytes
from ..documents.validation import DocumentError
from ..permissions import organisations_for_user
from ..services.appeals import appeal_draft, appeal_save
from .appeal_forms import ROWS, AppealForm, ReviewForm, publish_errors, review_document, review_forms, review_initial

TEMPLATES = "campaigns/appeals/"


def _organisations(request: HttpRequest):
    organisations = organisations_for_user(request.user)
    if not organisations.exists():
        raise PermissionDenied(_("Appeal import is for organisers: ask an organisation's organiser to add you."))
    return organisations


def _post(request: HttpRequest):
    """request.POST, or None when the body is over the size limit (Django refuses to read it)."""
    try:
        return request.POST, request.FILES
    except RequestDataTooBig:
        return None, None


@login_required
@require_http_methods(["GET", "POST"])
def appeal_import(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    if request.method == "GET":
        return render(request, TEMPLATES + "import.html", {"form": AppealForm()})
    data, files = _post(request)
    if data is None:
        form = AppealForm()
        form.add_error(None, _("the text is over the limit of %(limit).1f MB.") % {"limit": max_bytes() / 1024 / 1024})
        return render(request, TEMPLATES + "import.html", {"form": form}, status=400)
    form = AppealForm(data, files)
    if not form.is_valid():
        return render(request, TEMPLATES + "import.html", {"form": form}, status=400)
    upload = form.cleaned_data.get("file")
    try:
        if upload is not None:
            draft = appeal_draft(data=upload.read(), filename=upload.name, organisations=organisations, check_existing=True)
        else:
            draft = appeal_draft(text=form.cleaned_data["text"], organisations=organisations, check_existing=True)
    except AppealReadError as exc:
        form.add_error("file" if upload is not None else "text", str(exc))
        return render(request, TEMPLATES + "import.html", {"form": form}, status=400)
    main, rows = review_initial(draft.document)
    main.update(source=draft.document["text"], filename=draft.source.filename if draft.source else "")
    main["owner"] = draft.owner or organisations.first()
    review, formsets = review_forms(organisations=organisations, initial=main, rows=rows)
    return _review(request, review, formsets, draft)


def _review(request: HttpRequest, form: ReviewForm, formsets: dict, draft: AppealDraft, *, status: int = 200) -> HttpResponse:
    document = draft.document
    context = {
        "form": form,
        "formsets": formsets,
        "draft": document,
        "notes": draft.notes,
        "source_html": highlight(document.get("text") or "", draft.marks),
        "by_hand": not (document.get("text") or "").strip(),
        "not_saved": status == 400,
    }
    return render(request, TEMPLATES + "review.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    """The review form, empty: how an organiser logs a campaign by hand, without an appeal to read."""
    organisations = _organisations(request)
    main, rows = review_initial({})
    main["owner"] = organisations.first()
    rows["parties"] = [{"role": "target", "kind": "organisation"}]
    form, formsets = review_forms(organisations=organisations, initial=main, rows=rows)
    return _review(request, form, formsets, AppealDraft(document={"text": ""}))


def _with_row_changed(data, action: str):
    """The POST with one row added ("add" = a formset's prefix) or removed ("remove" = prefix-index)."""
    data = data.copy()
    if action in ROWS:
        key = f"{action}-TOTAL_FORMS"
        try:
            data[key] = str(int(data.get(key) or 0) + 1)
        except ValueError:
            data[key] = "1"
    elif "-" in action:
        data[action + "-DELETE"] = "on"
    return data


@login_required
@require_http_methods(["POST"])
def appeal_import_save(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    data, _files = _post(request)
    if data is None:
        too_big = AppealForm()
        too_big.add_error(None, _("the draft is over the limit of %(limit).1f MB.") % {"limit": max_bytes() / 1024 / 1024})
        return render(request, TEMPLATES + "import.html", {"form": too_big}, status=400)
    source = data.get("source", "")
    change = data.get("add") or data.get("remove")
    if change:
        # Adding or removing a row saves nothing: the same form again, with what was typed.
        form, formsets = review_forms(_with_row_changed(data, change), organisations=organisations)
        return _review(request, form, formsets, _source_draft(source))
    form, formsets = review_forms(data, organisations=organisations)
    publish = "publish" in data
    checks = [form.is_valid(), *(f.is_valid() for f in formsets.values())]  # every part, so every error shows
    valid = all(checks)
    if valid and not (publish and publish_errors(form, formsets)):
        document = review_document(form, formsets, text=source)
        try:
            campaign = appeal_save(document=document, owner=form.cleaned_data["owner"], publish=publish)
        except DocumentError as exc:
            form.add_error(None, _("Not saved: %(error)s") % {"error": exc})
        else:
            messages.success(request, _("Saved: %(title)s.") % {"title": campaign.title})
            return redirect(reverse("campaigns:dashboard", args=[campaign.slug]))
    # The source again, highlighted as it was read, beside the organiser's rows as they typed them.
    return _review(request, form, formsets, _source_draft(source), status=400)


def _source_draft(source: str) -> AppealDraft:
    try:
        draft = appeal_draft(text=source) if source.strip() else AppealDraft(document={"text": ""})
    except AppealReadError:
        draft = AppealDraft(document={"text": source})
    draft.document["text"] = source
    return draft
