"""Organiser pages for appeal import: paste or upload an appeal, review the draft beside the source, save it."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ..appeals.draft import AppealDraft
from ..appeals.highlight import highlight
from ..appeals.reading import AppealReadError, max_bytes
from ..documents.validation import DocumentError
from ..permissions import organisations_for_user
from ..services.appeals import appeal_draft, appeal_save
from .appeal_forms import AppealForm, DraftForm

TEMPLATES = "campaigns/appeals/"


def _organisations(request: HttpRequest):
    organisations = organisations_for_user(request.user)
    if not organisations.exists():
        raise PermissionDenied("Appeal import is for organisers: ask an organisation's organiser to add you.")
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
        form.add_error(None, f"the text is over the limit of {max_bytes() / 1024 / 1024:.1f} MB.")
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
    document = {k: v for k, v in draft.document.items() if k != "text"}
    review = DraftForm(
        initial={
            "document": json.dumps(document, ensure_ascii=False, indent=2),
            "source": draft.document["text"],
            "filename": draft.source.filename if draft.source else "",
            "owner": draft.owner or organisations.first(),
        },
        organisations=organisations,
    )
    return _review(request, review, draft)


def _review(request: HttpRequest, form: DraftForm, draft: AppealDraft, *, status: int = 200) -> HttpResponse:
    document = draft.document
    context = {
        "form": form,
        "draft": document,
        "notes": draft.notes,
        "source_html": highlight(document.get("text") or "", draft.marks),
    }
    return render(request, TEMPLATES + "review.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def appeal_import_save(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    data, _ = _post(request)
    if data is None:
        too_big = AppealForm()
        too_big.add_error(None, f"the draft is over the limit of {max_bytes() / 1024 / 1024:.1f} MB.")
        return render(request, TEMPLATES + "import.html", {"form": too_big}, status=400)
    form = DraftForm(data, organisations=organisations)
    source = data.get("source", "")
    if form.is_valid():
        document = {**form.cleaned_data["document"], "text": source}
        try:
            campaign = appeal_save(document=document, owner=form.cleaned_data["owner"], publish="publish" in data)
        except DocumentError as exc:
            form.add_error("document", f"Not saved: {exc}")
        else:
            return redirect(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
    # Show the source again, highlighted as it was read, beside the organiser's own JSON.
    try:
        draft = appeal_draft(text=source) if source.strip() else AppealDraft(document={"text": ""})
    except AppealReadError:
        draft = AppealDraft(document={"text": source})
    draft.document["text"] = source
    return _review(request, form, draft, status=400)
