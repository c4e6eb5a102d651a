"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Solidarity action tracker"
admin.site.site_title = "Solidarity action tracker"
admin.site.index_title = "Campaigns and actions"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("_nested_admin/", include("nested_admin.urls")),
    path("api/", include("campaigns.api.urls")),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]

# JSON, not an HTML page, for URLs under /api/ that no route matches (and for server errors there).
handler404 = "campaigns.api.errors.page_not_found"
handler500 = "campaigns.api.errors.server_error"
