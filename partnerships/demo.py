"""Demo partnership: SaferMK (Milton Keynes), its partners, boards and people.

Content from the SaferMK reports of 2017 and 2021 (see README, "Demo data").
Every function here is idempotent: it finds rows by natural keys and updates
them, so load_demo can run on every start.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from partnerships.models import (
    Board,
    BoardMembership,
    Membership,
    Organisation,
    Partnership,
    PolicingBody,
    PolicingRecommendation,
)

DEMO_PASSWORD = "demo"
SLUG = "safermk"

ORGANISATIONS = [
    # (name, short name, kind, responsible authority)
    ("Milton Keynes Council", "MK Council", Organisation.Kind.COUNCIL, True),
    ("Thames Valley Police", "TVP", Organisation.Kind.POLICE, True),
    ("Buckinghamshire Fire and Rescue Service", "BFRS", Organisation.Kind.FIRE, True),
    ("National Probation Service", "Probation", Organisation.Kind.PROBATION, True),
    ("Milton Keynes Clinical Commissioning Group", "MK CCG", Organisation.Kind.HEALTH, True),
    ("Thames Valley Police and Crime Commissioner", "PCC", Organisation.Kind.PCC, False),
    # A specified authority under the Serious Violence Duty.
    ("Milton Keynes Youth Offending Team", "YOT", Organisation.Kind.YOUTH_JUSTICE, False),
]

BOARDS = [
    # (slug, name, quorum, purpose)
    (
        "risk-board",
        "Risk Board",
        3,
        "Oversees the strategic assessment, stakeholder engagement and the development of "
        "the strategy on behalf of the Partnership.",
    ),
    (
        "management-board",
        "MK Together Management Board",
        3,
        "Agrees the process for developing the strategy and the final draft.",
    ),
    (
        "safer-mk",
        "Safer MK Partnership",
        4,
        "The Community Safety Partnership: receives the strategic assessment and adopts the "
        "strategy.",
    ),
    (
        "scrutiny",
        "Scrutiny Management Committee",
        3,
        "Holds the activities and performance of the Partnership to account.",
    ),
]

# The people who can sign in, printed by `make run`.
DEMO_USERS = [
    # username, first, last, e-mail, description
    ("officer", "Alex", "Morgan", "officer@example.org", "SaferMK partnership officer"),
    ("police", "Priya", "Shah", "police@example.org", "Partner officer, Thames Valley Police"),
    ("riskboard", "Rob", "Ellis", "riskboard@example.org", "Member of the Risk Board"),
    ("chair", "Chris", "Adeyemi", "chair@example.org", "Chair, MK Together Management Board"),
    ("manager", "Morgan", "Price", "manager@example.org",
     "Partnership administrator: organisations, boards, people, plan templates"),
    ("admin", "Ada", "Admin", "admin@example.org", "Administrator (Django admin)"),
]

# Board members who make up the quorum but do not sign in in the demo.
OTHER_BOARD_MEMBERS = [
    # username, first, last, board slug, role, organisation short name
    ("rb-chair", "Jo", "Turner", "risk-board", BoardMembership.Role.CHAIR, "MK Council"),
    ("rb-police", "Sam", "Okafor", "risk-board", BoardMembership.Role.MEMBER, "TVP"),
    ("rb-probation", "Lee", "Walsh", "risk-board", BoardMembership.Role.MEMBER, "Probation"),
    ("rb-health", "Nina", "Kaur", "risk-board", BoardMembership.Role.OBSERVER, "MK CCG"),
    ("mb-police", "Dan", "Hughes", "management-board", BoardMembership.Role.MEMBER, "TVP"),
    ("mb-fire", "Ria", "Begum", "management-board", BoardMembership.Role.MEMBER, "BFRS"),
    ("mb-health", "Tom", "Reid", "management-board", BoardMembership.Role.MEMBER, "MK CCG"),
    ("mb-pcc", "Ann", "Lowe", "management-board", BoardMembership.Role.OBSERVER, "PCC"),
    ("smk-chair", "Pat", "Green", "safer-mk", BoardMembership.Role.CHAIR, "MK Council"),
    ("smk-police", "Kit", "Moss", "safer-mk", BoardMembership.Role.MEMBER, "TVP"),
    ("smk-fire", "Viv", "Hart", "safer-mk", BoardMembership.Role.MEMBER, "BFRS"),
    ("smk-probation", "Mo", "Ali", "safer-mk", BoardMembership.Role.MEMBER, "Probation"),
    # With the members above, each specified authority of the Serious
    # Violence Duty is represented where the serious violence strategy is signed.
    ("smk-health", "Ife", "Bello", "safer-mk", BoardMembership.Role.MEMBER, "MK CCG"),
    ("smk-yot", "Ros", "Quinn", "safer-mk", BoardMembership.Role.MEMBER, "YOT"),
    ("smc-chair", "Bea", "Stone", "scrutiny", BoardMembership.Role.CHAIR, "MK Council"),
]


# Thames Valley's commissioner since the first elections (November 2012);
# the functions pass to a board of council leaders when commissioners go
# in May 2028 (announced 13 November 2025): a change already recorded.
POLICING_BODIES = [
    {
        "from_date": dt.date(2012, 11, 22),
        "kind": PolicingBody.Kind.PCC,
        "name": "Thames Valley Police and Crime Commissioner",
        "plan_title": "Thames Valley Police and Crime Plan",
        "plan_url": "https://www.thamesvalley-pcc.gov.uk/police-and-crime-plan/",
    },
    {
        "from_date": dt.date(2028, 5, 8),
        "kind": PolicingBody.Kind.BOARD,
        "name": "Thames Valley Policing and Crime Board",
        "plan_title": "",
        "plan_url": "",
    },
]


def load() -> Partnership:
    partnership, _ = Partnership.objects.update_or_create(
        slug=SLUG,
        defaults={
            "name": "SaferMK Partnership",
            "short_code": "SMK",
            "area": "Milton Keynes",
            "aim": "To make Milton Keynes a safe place to live, work and visit.",
            "pcc_plan_title": "Thames Valley Police and Crime Plan",
            "pcc_plan_url": "https://www.thamesvalley-pcc.gov.uk/police-and-crime-plan/",
            "contact_email": "community.safety@example.org",
            "website": "http://www.safermk.com/",
            "colour": "#1d5c63",
        },
    )
    if not partnership.logo:
        from django.core.files.base import ContentFile

        from partnerships.services import partnership_logo_set

        partnership_logo_set(partnership=partnership,
                             upload=ContentFile(_demo_logo(), name="logo.png"))
    for row in POLICING_BODIES:
        PolicingBody.objects.update_or_create(
            partnership=partnership, from_date=row["from_date"], defaults=row
        )
    # The day before each next one: as partnerships.services.policing_body_add keeps it.
    bodies = list(partnership.policing_bodies.order_by("from_date"))
    for body, following in zip(bodies, bodies[1:] + [None], strict=True):
        body.to_date = following.from_date - dt.timedelta(days=1) if following else None
        body.save(update_fields=["to_date"])
    PolicingRecommendation.objects.update_or_create(
        partnership=partnership, received_on=dt.date(2026, 3, 10),
        defaults={
            "policing_body": bodies[0],
            "recommendation": "Include a priority on rural crime, in line with the police "
                              "and crime plan.",
            "response": PolicingRecommendation.Response.PARTLY,
            "reasons": "The strategic assessment shows rural crime in two wards only: it is "
                       "an objective under the neighbourhood priority, not a priority.",
            "responded_on": dt.date(2026, 4, 2),
        },
    )
    orgs = {}
    for name, short, kind, authority in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            partnership=partnership,
            name=name,
            defaults={"short_name": short, "kind": kind, "is_responsible_authority": authority},
        )
        orgs[short] = org
    boards = {}
    for order, (slug, name, quorum, purpose) in enumerate(BOARDS):
        board, _ = Board.objects.update_or_create(
            partnership=partnership,
            slug=slug,
            defaults={"name": name, "quorum": quorum, "purpose": purpose, "order": order},
        )
        boards[slug] = board

    users = {
        username: _user(username, first, last, email)
        for username, first, last, email, _ in DEMO_USERS
    }
    admin = users["admin"]
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])

    _membership(
        users["officer"],
        partnership,
        Membership.Role.OFFICER,
        orgs["MK Council"],
        "Community Safety Officer",
    )
    _membership(
        users["manager"],
        partnership,
        Membership.Role.ADMINISTRATOR,
        orgs["MK Council"],
        "Community Safety Manager",
    )
    _membership(
        users["police"], partnership, Membership.Role.PARTNER, orgs["TVP"], "Partnership Analyst"
    )
    _board_member(
        boards["risk-board"], users["riskboard"], BoardMembership.Role.MEMBER, orgs["BFRS"]
    )
    _board_member(
        boards["risk-board"], users["officer"], BoardMembership.Role.SECRETARY, orgs["MK Council"]
    )
    _board_member(
        boards["management-board"], users["chair"], BoardMembership.Role.CHAIR, orgs["MK Council"]
    )
    for username, first, last, board_slug, role, org_short in OTHER_BOARD_MEMBERS:
        user = _user(username, first, last, f"{username}@example.org", usable=False)
        _board_member(boards[board_slug], user, role, orgs[org_short])
    return partnership


def _user(username, first, last, email, *, usable=True):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": email}
    )
    if created:
        if usable:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save()
    return user


def _membership(user, partnership, role, organisation, job_title):
    Membership.objects.update_or_create(
        user=user,
        partnership=partnership,
        defaults={"role": role, "organisation": organisation, "job_title": job_title},
    )


def _board_member(board, user, role, organisation):
    BoardMembership.objects.update_or_create(
        board=board, user=user, defaults={"role": role, "organisation": organisation}
    )


def _demo_logo() -> bytes:
    """A plain shield mark for the demo partnership (drawn, not a real
    organisation's logo): white on a transparent background."""
    import io

    from PIL import Image, ImageDraw

    size = 160
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    shield = [(20, 12), (140, 12), (140, 80), (80, 150), (20, 80)]
    draw.polygon(shield, fill=(255, 255, 255, 255))
    inner = [(34, 26), (126, 26), (126, 76), (80, 130), (34, 76)]
    draw.polygon(inner, fill=(29, 92, 99, 255))
    draw.line([(52, 72), (74, 94), (110, 50)], fill=(255, 255, 255, 255), width=12)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
