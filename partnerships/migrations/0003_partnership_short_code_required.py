import django.core.validators
from django.db import migrations, models


# A membership's organisation must be one of the membership's partnership's
# organisations. On PostgreSQL the database enforces it with a composite
# foreign key; SQLite cannot add one to an existing table, and there
# Membership.clean() and the services enforce it (as they do everywhere).
POSTGRES_FORWARD = [
    "ALTER TABLE partnerships_organisation ADD CONSTRAINT "
    "organisation_id_partnership_unique UNIQUE (id, partnership_id)",
    "ALTER TABLE partnerships_membership ADD CONSTRAINT "
    "membership_organisation_in_partnership FOREIGN KEY (organisation_id, partnership_id) "
    "REFERENCES partnerships_organisation (id, partnership_id) DEFERRABLE INITIALLY DEFERRED",
    "ALTER TABLE partnerships_invitation ADD CONSTRAINT "
    "invitation_organisation_in_partnership FOREIGN KEY (organisation_id, partnership_id) "
    "REFERENCES partnerships_organisation (id, partnership_id) DEFERRABLE INITIALLY DEFERRED",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE partnerships_invitation DROP CONSTRAINT invitation_organisation_in_partnership",
    "ALTER TABLE partnerships_membership DROP CONSTRAINT membership_organisation_in_partnership",
    "ALTER TABLE partnerships_organisation DROP CONSTRAINT organisation_id_partnership_unique",
]


def _run_on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0002_partnership_setup'),
    ]

    operations = [
        migrations.AlterField(
            model_name='partnership',
            name='short_code',
            field=models.CharField(help_text='Starts every consultation response reference, like BD-7Q4K-92XD.', max_length=5, unique=True, validators=[django.core.validators.RegexValidator('^[A-Z0-9]{2,5}$', 'Enter 2 to 5 capital letters or digits, like BD or CSP7.')]),
        ),
        migrations.RunPython(
            _run_on_postgres(POSTGRES_FORWARD), _run_on_postgres(POSTGRES_BACKWARD)
        ),
    ]
