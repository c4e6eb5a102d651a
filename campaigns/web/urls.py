"""The site's URLs: public pages, organisers' pages, appeal import and unsubscribing."""

from django.urls import path

from . import appeals, organise, public, unsubscribe

app_name = "campaigns"

urlpatterns = [
    path("", public.campaign_list, name="list"),
    path("c/<slug:slug>/", public.campaign_detail, name="campaign"),
    path("c/<slug:slug>/totals/", public.campaign_totals_fragment, name="totals"),
    path("c/<slug:slug>/act/", public.take_action, name="act"),
    path("c/<slug:slug>/act/done/", public.action_done, name="act_done"),
    path("c/<slug:slug>/letter.pdf", public.letter, name="letter"),
    path("c/<slug:slug>/record/", public.record_action, name="record"),
    path("c/<slug:slug>/thanks/<str:token>/", public.thanks, name="thanks"),
    path("c/<slug:slug>/thanks/<str:token>/delivery/", public.delivery_state, name="delivery_state"),
    path("c/<slug:slug>/share.png", public.share_image, name="share_image"),
    path("c/<slug:slug>/embed/", public.embed, name="embed"),
    path("c/<slug:slug>/embed/thanks/<str:token>/", public.embed_thanks, name="embed_thanks"),
    path("news/confirm/<str:token>/", public.consent_confirm, name="consent_confirm"),
    path("organise/", organise.organise_index, name="organise"),
    path("organise/c/<slug:slug>/", organise.dashboard, name="dashboard"),
    path("organise/c/<slug:slug>/actions.csv", organise.actions_csv, name="actions_csv"),
    path("organise/c/<slug:slug>/response/", organise.response_add, name="response_add"),
    path("organise/c/<slug:slug>/outcome/", organise.outcome_set, name="outcome_set"),
    path("organise/c/<slug:slug>/status/", organise.status_set, name="status_set"),
    path("organise/c/<slug:slug>/update/", organise.update_add, name="update_add"),
    path("organise/c/<slug:slug>/address/", organise.address_add, name="address_add"),
]

# Included under /organise/import/ with no namespace.
appeal_import_urlpatterns = [
    path("", appeals.appeal_import, name="appeal_import"),
    path("save/", appeals.appeal_import_save, name="appeal_import_save"),
    path("new/", appeals.campaign_new, name="campaign_new"),
]

# Included under /unsubscribe/ as the "unsubscribe" namespace.
unsubscribe_urlpatterns = [
    path("<str:token>/", unsubscribe.unsubscribe, name="confirm"),
    path("<str:token>/one-click/", unsubscribe.unsubscribe_one_click, name="one_click"),
]
