"""A lifecycle step's own date (when it happened), apart from when it was
recorded. Steps recorded before this change happened the day they were
recorded."""

from django.db import migrations, models
from django.utils import timezone


def happened_when_recorded(apps, schema_editor):
    StrategyTransition = apps.get_model("strategy", "StrategyTransition")
    rows = list(StrategyTransition.objects.only("pk", "at"))
    for row in rows:
        row.happened_on = timezone.localdate(row.at)
    StrategyTransition.objects.bulk_update(rows, ["happened_on"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("strategy", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="strategytransition",
            name="happened_on",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(happened_when_recorded, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="strategytransition",
            name="happened_on",
            field=models.DateField(),
        ),
    ]
