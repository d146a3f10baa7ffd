import re

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import partnerships.models
from django.conf import settings
from django.db import migrations, models


def backfill_short_codes(apps, schema_editor):
    """Give each existing partnership a code from the initials of its name
    (SaferMK Partnership -> SP), made unique with a digit; administrators can
    change it on the partnership's details page."""
    Partnership = apps.get_model("partnerships", "Partnership")
    taken = set(
        Partnership.objects.exclude(short_code=None).values_list("short_code", flat=True)
    )
    for partnership in Partnership.objects.filter(short_code=None).order_by("pk"):
        words = re.findall(r"[A-Za-z0-9]+", partnership.name)
        base = "".join(w[0] for w in words).upper()[:4] or "P"
        base = base if len(base) >= 2 else f"{base}P"
        code, n = base, 1
        while code in taken:
            n += 1
            code = f"{base[:5 - len(str(n))]}{n}"
        taken.add(code)
        partnership.short_code = code
        partnership.save(update_fields=["short_code"])


def clear_foreign_organisations(apps, schema_editor):
    """A membership linked to another partnership's organisation (possible
    before this check existed) loses that link, so the constraint can be
    added; the person keeps their role, and an administrator can choose one
    of their own partnership's organisations again."""
    Membership = apps.get_model("partnerships", "Membership")
    Membership.objects.exclude(organisation=None).exclude(
        organisation__partnership_id=models.F("partnership_id")
    ).update(organisation=None)


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='partnership',
            name='contact_address',
            field=models.TextField(blank=True, verbose_name='postal address'),
        ),
        migrations.AddField(
            model_name='partnership',
            name='contact_phone',
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name='partnership',
            name='plan_body',
            field=models.CharField(default='Police and Crime Commissioner', max_length=200, verbose_name='body whose plan the strategy must have regard to'),
        ),
        migrations.AddField(
            model_name='partnership',
            name='short_code',
            field=models.CharField(help_text='Starts every consultation response reference, like BD-7Q4K-92XD.', max_length=5, null=True, unique=True, validators=[django.core.validators.RegexValidator('^[A-Z0-9]{2,5}$', 'Enter 2 to 5 capital letters or digits, like BD or CSP7.')]),
        ),
        migrations.AlterField(
            model_name='board',
            name='quorum',
            field=models.PositiveSmallIntegerField(default=partnerships.models.default_board_quorum, help_text='Members (chair and members, not observers) needed for a decision.'),
        ),
        migrations.AlterField(
            model_name='membership',
            name='role',
            field=models.CharField(choices=[('officer', 'Partnership officer'), ('partner', 'Partner officer'), ('administrator', 'Partnership administrator')], max_length=20),
        ),
        migrations.AlterField(
            model_name='partnership',
            name='colour',
            field=models.CharField(default='#1d5c63', max_length=7, validators=[django.core.validators.RegexValidator('^#[0-9a-fA-F]{6}$', 'Enter a colour like #1d5c63.'), partnerships.models.readable_with_white]),
        ),
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254)),
                ('first_name', models.CharField(blank=True, max_length=150)),
                ('last_name', models.CharField(blank=True, max_length=150)),
                ('role', models.CharField(choices=[('officer', 'Partnership officer'), ('partner', 'Partner officer'), ('administrator', 'Partnership administrator')], max_length=20)),
                ('job_title', models.CharField(blank=True, max_length=200)),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('expires_at', models.DateTimeField()),
                ('accepted_at', models.DateTimeField(blank=True, null=True)),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partnerships.organisation')),
                ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='partnerships.partnership')),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='RoleChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(blank=True, max_length=254)),
                ('action', models.CharField(choices=[('granted', 'Role granted'), ('changed', 'Role changed'), ('removed', 'Role removed'), ('board_added', 'Added to a board'), ('board_changed', 'Board role changed'), ('board_removed', 'Removed from a board'), ('invited', 'Invited'), ('invitation_revoked', 'Invitation revoked'), ('deactivated', 'Deactivated')], max_length=30)),
                ('old_role', models.CharField(blank=True, max_length=40)),
                ('new_role', models.CharField(blank=True, max_length=40)),
                ('detail', models.CharField(blank=True, max_length=200)),
                ('changed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='role_changes', to='partnerships.partnership')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='role_changes', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-changed_at', '-pk'],
            },
        ),
        migrations.RunPython(backfill_short_codes, migrations.RunPython.noop),
        migrations.RunPython(clear_foreign_organisations, migrations.RunPython.noop),
    ]
