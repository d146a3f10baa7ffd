from django.db import migrations, models


def pupils_were_not_asked(apps, schema_editor):
    # Until now pupils were never shown a privacy notice, yet their responses
    # recorded consent=True. Record what happened: not asked.
    Response = apps.get_model("consultation", "Response")
    Response.objects.filter(audience="young_people").update(consent=None)


class Migration(migrations.Migration):

    dependencies = [
        ("consultation", "0002_answer_text_search_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="response",
            name="consent",
            field=models.BooleanField(
                default=False,
                help_text="Ticked the privacy notice when responding. Empty: never asked "
                "(pupils' responses from before pupils were shown their own notice).",
                null=True,
            ),
        ),
        migrations.RunPython(pupils_were_not_asked, migrations.RunPython.noop),
    ]
