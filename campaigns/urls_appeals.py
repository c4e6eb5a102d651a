"""URLs of appeal import, included under /organise/import/."""

from django.urls import path

from . import views_appeals

urlpatterns = [
    path("", views_appeals.appeal_import, name="appeal_import"),
    path("save/", views_appeals.appeal_import_save, name="appeal_import_save"),
]
