"""A partnership that is not the demo, built with the tests' factories and
the real services: a published strategy with its sign-off, a consultation
with responses (one erased, one coded into a theme), a milestone that
depends on another, a policing body, and a stored PDF."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from consultation import services as consultation_services
from consultation.models import Answer
from partnerships.services import policing_body_add
from tests import factories
from tests.consultation.factories import open_consultation
from tests.consultation.rights_helpers import submit_full, submit_other
from tests.documents.factories import published_strategy


def built_partnership():
    partnership = factories.PartnershipFactory()
    admin = factories.AdministratorFactory(partnership=partnership).user
    partnership.logo.save(f"{partnership.pk}-0123456789abcdef.png",
                          ContentFile(b"\x89PNG a logo"), save=True)
    policing_body_add(partnership=partnership, kind="pcc", name="Shire Police and Crime "
                      "Commissioner", from_date=dt.date(2021, 5, 13), by=admin)
    policing_body_add(partnership=partnership, kind="board", name="Shire Policing and Crime "
                      "Board", from_date=dt.date(2028, 5, 11), by=admin)
    strategy = published_strategy(partnership, priorities=2, measurements=3)
    first = factories.MilestoneFactory(partnership=partnership, strategy=strategy, owner=admin)
    second = factories.MilestoneFactory(partnership=partnership, strategy=strategy,
                                        due_date=dt.date(2022, 4, 1))
    second.depends_on.add(first)
    consultation = open_consultation(partnership)
    kept = submit_full(consultation)
    erased = submit_full(consultation, audience="public")
    submit_other(consultation, 3)
    consultation_services.response_erase(response=erased, by=admin, note="Asked by e-mail")
    theme = consultation_services.theme_create(consultation=consultation, name="Lighting")
    answer = Answer.objects.filter(response=kept).exclude(text="").first()
    consultation_services.answer_code(answer=answer, themes=[theme])
    return partnership
