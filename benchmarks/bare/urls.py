"""One view: parse a JSON body, insert one row, answer 201 with its id."""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from .models import BareAction


def insert(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    data = json.loads(request.body)
    supporter = data.get("supporter") or {}
    row = BareAction.objects.create(
        campaign=1,
        kind=str(data.get("kind", ""))[:20],
        email=str(supporter.get("email", ""))[:254],
        name=str(supporter.get("name", ""))[:200],
        country=str(data.get("country", ""))[:2],
        represents=int(data.get("represents", 1)),
        text=str(data.get("text", "")),
    )
    return JsonResponse({"id": row.pk}, status=201)


urlpatterns = [path("insert/", insert)]
