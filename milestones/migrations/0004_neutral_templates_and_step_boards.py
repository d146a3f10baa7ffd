"""Plan templates that fit any partnership.

1. A step's board becomes a real board: slugs in a partnership's own
   template are mapped to that partnership's boards.
2. A shared template whose steps named boards by slug was one partnership's
   process: it is copied into each partnership whose plans were generated
   from it (their milestones now point at the copy), with its slugs mapped
   to that partnership's boards, and the shared original is removed.
3. The product's own templates, with neutral titles and the sign-off board
   given by its role, are installed; "Three-year strategy" is the
   installation's default.

The template content is written out here, not imported, so this migration
keeps meaning what it meant when it ran.
"""

from django.db import migrations

D = {
    "assessment": "assessment_sign_off",
    "priorities": "priorities",
    "draft": "draft",
    "open": "consultation_open",
    "close": "consultation_close",
    "sign_off": "sign_off",
    "adoption": "adoption",
    "publication": "publication",
}

# name, description, is_default, steps:
#   (title, description, kind, board role, months before, weeks before)
NEUTRAL = [
    (
        "Three-year strategy",
        "The full cycle, counted back from adoption: the strategic assessment signed off about "
        "nine months before, priorities agreed, a draft ready for a twelve-week public "
        "consultation, sign-off a month before adoption, then adoption and publication.",
        True,
        [
            ("Strategic assessment signed off",
             "The board approves the strategic assessment the priorities rest on.",
             D["assessment"], "sign_off", 9, 0),
            ("Priorities agreed",
             "The priorities, informed by the assessment, are agreed and drafting starts.",
             D["priorities"], "", 8, 0),
            ("Draft strategy ready for consultation",
             "The draft the public will be asked about is complete.",
             D["draft"], "", 0, 28),
            ("Public consultation opens", "", D["open"], "", 0, 26),
            ("Public consultation closes",
             "Twelve weeks after it opens.", D["close"], "", 0, 14),
            ("Final draft signed off",
             "The board approves the final draft, revised after the consultation.",
             D["sign_off"], "sign_off", 1, 0),
            ("Strategy adopted", "", D["adoption"], "", 0, 0),
            ("Strategy published", "", D["publication"], "", 0, 0),
        ],
    ),
    (
        "Annual refresh",
        "A refresh of an adopted strategy: the assessment brought up to date, the priorities "
        "confirmed, the refreshed strategy signed off, adopted and published.",
        False,
        [
            ("Refreshed strategic assessment signed off", "",
             D["assessment"], "sign_off", 5, 0),
            ("Priorities confirmed", "", D["priorities"], "", 4, 0),
            ("Refreshed draft ready", "", D["draft"], "", 2, 0),
            ("Refreshed strategy signed off", "", D["sign_off"], "sign_off", 1, 0),
            ("Refreshed strategy adopted", "", D["adoption"], "", 0, 0),
            ("Refreshed strategy published", "", D["publication"], "", 0, 0),
        ],
    ),
]


def forwards(apps, schema_editor):
    Template = apps.get_model("milestones", "MilestoneTemplate")
    Step = apps.get_model("milestones", "MilestoneTemplateStep")
    Milestone = apps.get_model("milestones", "Milestone")
    Board = apps.get_model("partnerships", "Board")

    def board_for(partnership_id, slug):
        if not slug:
            return None
        return Board.objects.filter(partnership_id=partnership_id, slug=slug).first()

    for step in Step.objects.filter(template__partnership__isnull=False).exclude(board_slug=""):
        step.board = board_for(step.template.partnership_id, step.board_slug)
        step.save(update_fields=["board"])

    shared_with_slugs = Template.objects.filter(
        partnership__isnull=True, steps__board_slug__gt=""
    ).distinct()
    for template in shared_with_slugs:
        steps = list(Step.objects.filter(template=template).order_by("order", "pk"))
        users = (
            Milestone.objects.filter(template_step__template=template)
            .values_list("partnership_id", flat=True)
            .distinct()
        )
        for partnership_id in sorted(set(users)):
            has_default = Template.objects.filter(
                partnership_id=partnership_id, is_default=True
            ).exists()
            name = template.name
            if Template.objects.filter(partnership_id=partnership_id, name=name).exists():
                name = f"{name} (from the shared template)"
            copy = Template.objects.create(
                partnership_id=partnership_id,
                name=name,
                description=template.description,
                is_default=template.is_default and not has_default,
            )
            for step in steps:
                new = Step.objects.create(
                    template=copy,
                    title=step.title,
                    kind=step.kind,
                    board=board_for(partnership_id, step.board_slug),
                    months_before_adoption=step.months_before_adoption,
                    duration_months=step.duration_months,
                    order=step.order,
                )
                Milestone.objects.filter(
                    partnership_id=partnership_id, template_step=step
                ).update(template_step=new)
        template.delete()

    # The product's own templates take over as the installation's default.
    Template.objects.filter(partnership__isnull=True, is_default=True).update(is_default=False)
    for name, description, is_default, steps in NEUTRAL:
        template, created = Template.objects.get_or_create(
            partnership=None,
            name=name,
            defaults={"description": description, "is_default": is_default},
        )
        if not created:
            template.description = description
            template.is_default = is_default
            template.save(update_fields=["description", "is_default"])
            Step.objects.filter(template=template).delete()
        for order, (title, text, kind, role, months, weeks) in enumerate(steps):
            Step.objects.create(
                template=template,
                title=title,
                description=text,
                kind=kind,
                board_role=role,
                months_before_adoption=months,
                weeks_before_adoption=weeks,
                order=order,
            )


def backwards(apps, schema_editor):
    Template = apps.get_model("milestones", "MilestoneTemplate")
    Template.objects.filter(
        partnership__isnull=True, name__in=[name for name, *_ in NEUTRAL]
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("milestones", "0003_plan_templates_per_partnership"),
        ("partnerships", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
