"""Routes under /api/: v1 (our resources), osdi/v1 (OSDI), the OpenAPI schema and its interactive docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import osdi, views

app_name = "api"

router = DefaultRouter()
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("targets", views.TargetViewSet, basename="target")
router.register("demands", views.DemandViewSet, basename="demand")
router.register("people", views.PersonViewSet, basename="person")
router.register("events", views.EventViewSet, basename="event")
router.register("updates", views.UpdateViewSet, basename="update")
router.register("actions", views.ActionViewSet, basename="action")
router.register("responses", views.ResponseViewSet, basename="response")

osdi_patterns = [
    path("", osdi.EntryPointView.as_view(), name="osdi-entry-point"),
    path("advocacy_campaigns", osdi.AdvocacyCampaignListView.as_view(), name="osdi-advocacy-campaigns"),
    path("advocacy_campaigns/<slug:slug>", osdi.AdvocacyCampaignDetailView.as_view(), name="osdi-advocacy-campaign"),
    path("advocacy_campaigns/<slug:slug>/outreaches", osdi.OutreachListView.as_view(), name="osdi-outreaches"),
    path("advocacy_campaigns/<slug:slug>/outreaches/<int:pk>", osdi.OutreachDetailView.as_view(), name="osdi-outreach"),
    path(
        "advocacy_campaigns/<slug:slug>/record_outreach_helper",
        osdi.RecordOutreachView.as_view(),
        name="osdi-record-outreach",
    ),
    path("people", osdi.PersonListView.as_view(), name="osdi-people"),
    path("people/<int:pk>", osdi.PersonDetailView.as_view(), name="osdi-person"),
    path("people/<int:pk>/outreaches", osdi.PersonOutreachListView.as_view(), name="osdi-person-outreaches"),
    # The same with a trailing slash, as many OSDI clients write them (not in the schema: one spelling there).
    # Only the shapes above: anything else must stay a 404, not become APPEND_SLASH's redirect.
    re_path(
        r"^(?P<rest>advocacy_campaigns(/[-a-zA-Z0-9_]+(/outreaches(/[0-9]+)?|/record_outreach_helper)?)?|people(/[0-9]+(/outreaches)?)?)/$",
        osdi.trailing_slash,
    ),
]

urlpatterns = [
    path("v1/", include(router.urls)),
    path("osdi/v1/", include(osdi_patterns)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
