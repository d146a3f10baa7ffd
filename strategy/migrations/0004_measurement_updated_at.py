import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """When a figure last changed: public pages of a published strategy are
    cached until one of its figures does. Existing figures start at the time
    they were entered."""

    dependencies = [
        ("strategy", "0003_police_and_crime_plan_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="measurement",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalmeasurement",
            name="updated_at",
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now,
                                       editable=False),
            preserve_default=False,
        ),
        migrations.RunSQL(
            "UPDATE strategy_measurement SET updated_at = entered_at",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
