"""The texts campaigns and demands had become their translation in the campaign's original language (English)."""

from django.db import migrations


def copy_texts(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    CampaignTranslation = apps.get_model("campaigns", "CampaignTranslation")
    Demand = apps.get_model("campaigns", "Demand")
    DemandTranslation = apps.get_model("campaigns", "DemandTranslation")
    CampaignTranslation.objects.bulk_create(
        CampaignTranslation(
            master_id=c.pk,
            language_code=c.language,
            title=c.title,
            summary=c.summary,
            message_subject=c.message_subject,
            message_body=c.message_body,
        )
        for c in Campaign.objects.all().iterator()
    )
    DemandTranslation.objects.bulk_create(
        DemandTranslation(master_id=d.pk, language_code=d.campaign.language, text=d.text)
        for d in Demand.objects.select_related("campaign").iterator()
    )


def copy_back(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    Demand = apps.get_model("campaigns", "Demand")
    CampaignTranslation = apps.get_model("campaigns", "CampaignTranslation")
    DemandTranslation = apps.get_model("campaigns", "DemandTranslation")
    for c in Campaign.objects.all().iterator():
        row = CampaignTranslation.objects.filter(master_id=c.pk, language_code=c.language).first()
        if row is not None:
            c.title, c.summary, c.message_subject, c.message_body = row.title, row.summary, row.message_subject, row.message_body
            c.save(update_fields=["title", "summary", "message_subject", "message_body"])
    for d in Demand.objects.select_related("campaign").iterator():
        row = DemandTranslation.objects.filter(master_id=d.pk, language_code=d.campaign.language).first()
        if row is not None:
            d.text = row.text
            d.save(update_fields=["text"])


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0011_campaign_translations"),
    ]

    operations = [migrations.RunPython(copy_texts, copy_back)]
