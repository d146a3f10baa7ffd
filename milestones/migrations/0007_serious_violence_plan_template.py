"""The product's plan template for a serious violence strategy (Serious
Violence Duty, Police, Crime, Sentencing and Courts Act 2022): the
strategic needs assessment, the required consultees consulted, and the
sign-off by each specified authority before adoption and publication.

The content is written out here, not imported, so this migration keeps
meaning what it meant when it ran.
"""

from django.db import migrations

# name, description, is_default, steps:
#   (title, description, kind, board role, months before, weeks before)
SERIOUS_VIOLENCE = [
    (
        "Serious violence strategy",
        "The Serious Violence Duty's cycle, counted back from adoption: the strategic needs "
        "assessment with its local definition of serious violence, priorities agreed, the "
        "educational, prison and youth custody authorities consulted, sign-off by each "
        "specified authority, then adoption and publication. Review it at least once a year.",
        False,
        [
            ("Strategic needs assessment signed off",
             "The board approves the strategic needs assessment and its local definition of "
             "serious violence.",
             "assessment_sign_off", "sign_off", 6, 0),
            ("Priorities agreed",
             "The priorities, informed by the needs assessment, are agreed and drafting starts.",
             "priorities", "", 5, 0),
            ("Draft strategy ready for consultation", "", "draft", "", 4, 0),
            ("Required consultees consulted",
             "The educational, prison and youth custody authorities are consulted, and each "
             "is recorded in the log of consultees.",
             "discussion", "", 2, 0),
            ("Signed off by each specified authority",
             "The police, fire and rescue, the integrated care board, the council, the youth "
             "offending team and probation each sign off the final draft.",
             "sign_off", "sign_off", 1, 0),
            ("Strategy adopted", "", "adoption", "", 0, 0),
            ("Strategy published", "", "publication", "", 0, 0),
        ],
    ),
]


def forwards(apps, schema_editor):
    Template = apps.get_model("milestones", "MilestoneTemplate")
    Step = apps.get_model("milestones", "MilestoneTemplateStep")
    for name, description, is_default, steps in SERIOUS_VIOLENCE:
        if Template.objects.filter(partnership=None, name=name).exists():
            continue
        template = Template.objects.create(
            partnership=None, name=name, description=description, is_default=is_default
        )
        for order, (title, text, kind, role, months, weeks) in enumerate(steps):
            Step.objects.create(
                template=template, title=title, description=text, kind=kind,
                board_role=role, months_before_adoption=months,
                weeks_before_adoption=weeks, order=order,
            )


def backwards(apps, schema_editor):
    Template = apps.get_model("milestones", "MilestoneTemplate")
    Template.objects.filter(partnership=None, name__in=[t[0] for t in SERIOUS_VIOLENCE]).delete()


class Migration(migrations.Migration):
    dependencies = [("milestones", "0006_signoff_by_an_authority")]

    operations = [migrations.RunPython(forwards, backwards)]
