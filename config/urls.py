"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from campaigns.health import HealthView
from campaigns.web.urls import appeal_import_urlpatterns, unsubscribe_urlpatterns

admin.site.site_header = _("Solidarity action tracker")
admin.site.site_title = _("Solidarity action tracker")
admin.site.index_title = _("Campaigns and actions")

urlpatterns = [
    path("healthz/", HealthView.as_view(), name="healthz"),
    path("admin/", admin.site.urls),
    # The language switcher posts here (set_language): it remembers the choice in a cookie.
    path("i18n/", include("django.conf.urls.i18n")),
    path("_nested_admin/", include("nested_admin.urls")),
    path("api/", include("campaigns.api.urls")),
    path("organise/import/", include(appeal_import_urlpatterns)),
    path("unsubscribe/", include((unsubscribe_urlpatterns, "unsubscribe"))),
    path("", include("campaigns.web.urls")),
]

# JSON, not an HTML page, for URLs under /api/ that no route matches (and for server errors there).
handler404 = "campaigns.web.errors.page_not_found"
handler500 = "campaigns.web.errors.server_error"
