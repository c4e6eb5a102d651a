from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0012_campaign_translations_copy"),
    ]

    # The defaults only let a reverse migration add the columns back to existing rows (0012 then refills them).
    operations = [
        migrations.AlterField(model_name="campaign", name="title", field=models.CharField(max_length=300, default="")),
        migrations.AlterField(model_name="demand", name="text", field=models.TextField(default="")),
        migrations.RemoveField(
            model_name='campaign',
            name='message_body',
        ),
        migrations.RemoveField(
            model_name='campaign',
            name='message_subject',
        ),
        migrations.RemoveField(
            model_name='campaign',
            name='summary',
        ),
        migrations.RemoveField(
            model_name='campaign',
            name='title',
        ),
        migrations.RemoveField(
            model_name='demand',
            name='text',
        ),
    ]
