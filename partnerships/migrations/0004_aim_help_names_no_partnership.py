from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0003_partnership_short_code_required'),
    ]

    operations = [
        migrations.AlterField(
            model_name='partnership',
            name='aim',
            field=models.TextField(help_text='For example: to make the area a safe place to live, work and visit.', verbose_name='overarching aim'),
        ),
    ]
