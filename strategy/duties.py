"""The kinds of statutory document a partnership produces, and what the law
asks of each: what its assessment is called, which authorities must sign it
off, whom it must consult and how often it is reviewed.

- A community safety partnership strategy (Crime and Disorder Act 1998
  s.5-7): three-year, refreshed every year, informed by an annual strategic
  assessment, signed off by the partnership's boards.
- A serious violence strategy (the Serious Violence Duty, Police, Crime,
  Sentencing and Courts Act 2022, in force 31 January 2023): informed by a
  strategic needs assessment with a local definition of serious violence,
  signed off by each specified authority (police, fire and rescue, the
  integrated care board, the council, the youth offending team and
  probation), after consulting the educational, prison and youth custody
  authorities, published, and reviewed at least once a year.

The authorities and consultees are kinds of the partnership's
organisations (partnerships.Organisation.Kind), so any partnership names its
own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from partnerships.models import Organisation


class StrategyDuty(models.TextChoices):
    COMMUNITY_SAFETY = "community_safety", "Community safety partnership strategy"
    SERIOUS_VIOLENCE = "serious_violence", "Serious violence strategy"


OK = Organisation.Kind


@dataclass(frozen=True)
class DutyProfile:
    duty: str
    # "Serious violence strategy": how the document is named in a sentence.
    document_name: str
    law: str
    assessment_name: str
    # Organisation kinds that must each sign off before adoption and publication.
    authority_kinds: tuple[str, ...] = ()
    # Organisation kinds that must each be consulted before adoption and publication.
    consultee_kinds: tuple[str, ...] = ()
    # The document must be reviewed at least this often (in months).
    review_months: int = 12

    @property
    def assessment_name_capitalised(self) -> str:
        return self.assessment_name[:1].upper() + self.assessment_name[1:]

    @property
    def document_name_capitalised(self) -> str:
        return self.document_name[:1].upper() + self.document_name[1:]

    @property
    def authority_labels(self) -> list[str]:
        return [authority_label(k) for k in self.authority_kinds]

    @property
    def consultee_labels(self) -> list[str]:
        return [authority_label(k) for k in self.consultee_kinds]

    @property
    def is_serious_violence(self) -> bool:
        return self.duty == StrategyDuty.SERIOUS_VIOLENCE


# How each kind of organisation reads in a sentence about the duty.
_LABELS = {
    OK.POLICE: "the police",
    OK.FIRE: "the fire and rescue authority",
    OK.HEALTH: "the integrated care board",
    OK.COUNCIL: "the council",
    OK.YOUTH_JUSTICE: "the youth offending team",
    OK.PROBATION: "the probation service",
    OK.EDUCATION: "the educational authorities",
    OK.PRISON: "the prison authority",
    OK.YOUTH_CUSTODY: "the youth custody authority",
}


def authority_label(kind: str) -> str:
    return _LABELS.get(kind) or OK(kind).label.lower()


PROFILES: dict[str, DutyProfile] = {
    StrategyDuty.COMMUNITY_SAFETY: DutyProfile(
        duty=StrategyDuty.COMMUNITY_SAFETY,
        document_name="community safety partnership strategy",
        law="Crime and Disorder Act 1998, sections 5 to 7",
        assessment_name="strategic assessment",
    ),
    StrategyDuty.SERIOUS_VIOLENCE: DutyProfile(
        duty=StrategyDuty.SERIOUS_VIOLENCE,
        document_name="serious violence strategy",
        law="the Serious Violence Duty (Police, Crime, Sentencing and Courts Act 2022, Part 2)",
        assessment_name="strategic needs assessment",
        authority_kinds=(OK.POLICE, OK.FIRE, OK.HEALTH, OK.COUNCIL, OK.YOUTH_JUSTICE,
                         OK.PROBATION),
        consultee_kinds=(OK.EDUCATION, OK.PRISON, OK.YOUTH_CUSTODY),
        review_months=12,
    ),
}


def profile(duty: str) -> DutyProfile:
    return PROFILES.get(duty) or PROFILES[StrategyDuty.COMMUNITY_SAFETY]
