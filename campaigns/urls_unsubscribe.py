"""URLs for unsubscribing from campaign news (included under /unsubscribe/)."""

from django.urls import path

from . import views_unsubscribe

app_name = "unsubscribe"

urlpatterns = [
    path("<str:token>/", views_unsubscribe.unsubscribe, name="confirm"),
    path("<str:token>/one-click/", views_unsubscribe.unsubscribe_one_click, name="one_click"),
]
