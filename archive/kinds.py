"""What a partnership archive holds: one kind of record per file, in the
order an import creates them, each with the path from its rows to the
partnership.

What is left out, and why (the README inside the archive says so too):
- people's roles in the partnership, invitations and the history of role
  changes: who may sign in is decided by the installation that imports;
- the audit trail, respondents' rights requests, requests for another
  format, reminders and calendar links: records about people that serve
  this installation's own accountability and are kept by its own periods;
- the field-by-field change history (simple-history tables);
- followers of consultations, receipts waiting to be sent and answers saved
  for later: addresses and answers in progress, kept only days;
- the history of coding answers to themes and the worker's suggestions:
  the officers' working state (the themes each answer has are archived);
- police recorded crime (the area, monthly counts, import log and series
  links): made again from the public police.uk files by importing them; the
  measurements written from them are archived with the measures.
`LEFT_OUT` names these models; a test checks every model is in one list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from consultation.models import (
    Answer,
    Consultation,
    ConsulteeRecord,
    Document,
    DraftComment,
    EqualityResponse,
    Question,
    Response,
    SchoolClassCode,
    Section,
    Theme,
)
from documents.models import (
    PartnershipReport,
    PerformanceReportDocument,
    RenderedDocument,
    ReportDocument,
)
from milestones.models import (
    Milestone,
    MilestoneTemplate,
    MilestoneTemplateStep,
    SignOffDecision,
    SignOffRequest,
    SignOffReview,
)
from partnerships.models import (
    Board,
    BoardMembership,
    Organisation,
    Partnership,
    PolicingBody,
    PolicingRecommendation,
)
from reminders.models import DutyRecord
from reviews.models import Action, AsbCaseReviewReturn, Recommendation, Review
from strategy.models import (
    LineOfEnquiry,
    Measure,
    Measurement,
    Objective,
    Priority,
    PriorityProposal,
    StatutoryResponsibility,
    StrategicAssessment,
    Strategy,
    StrategyTransition,
    StrategyVersion,
)

# Bumped whenever a kind or a field changes its meaning; an import refuses
# any other version.
SCHEMA_VERSION = 1
FORMAT_NAME = "partnership-archive"


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[models.Model]
    # Lookup from the kind's rows to the partnership ("" for the partnership).
    path: str
    description: str
    # Fields never written to the archive (secrets, per-installation state).
    leave_out: tuple[str, ...] = field(default=())

    def queryset(self, partnership: Partnership) -> models.QuerySet:
        if not self.path:
            return self.model.objects.filter(pk=partnership.pk)
        return self.model.objects.filter(**{self.path: partnership}).order_by("pk")


KINDS: list[Kind] = [
    Kind("partnership", Partnership, "",
         "The partnership itself: name, area, aim, short code, contact details, brand."),
    Kind("organisations", Organisation, "partnership", "Partner organisations."),
    Kind("policing_bodies", PolicingBody, "partnership",
         "The local policing body, with the dates each was in force."),
    Kind("policing_recommendations", PolicingRecommendation, "partnership",
         "Recommendations from the local policing body and the partnership's responses."),
    Kind("boards", Board, "partnership", "The partnership's boards and their quorum."),
    Kind("board_members", BoardMembership, "board__partnership",
         "Who sits on each board, in which role, for which organisation."),
    Kind("assessments", StrategicAssessment, "partnership", "Annual strategic assessments."),
    Kind("lines_of_enquiry", LineOfEnquiry, "assessment__partnership",
         "The lines of enquiry of each assessment."),
    Kind("strategies", Strategy, "partnership", "Strategies and annual refreshes."),
    Kind("strategy_transitions", StrategyTransition, "strategy__partnership",
         "Each change of a strategy's status, with who and when."),
    Kind("strategy_versions", StrategyVersion, "strategy__partnership",
         "Frozen versions of each strategy: the whole content and its hash. The ids "
         "inside `content` are those of the installation the version was made on."),
    Kind("priorities", Priority, "strategy__partnership", "Priorities of each strategy."),
    Kind("priority_proposals", PriorityProposal, "strategy__partnership",
         "Priorities proposed by partner organisations, and what was decided."),
    Kind("objectives", Objective, "priority__strategy__partnership", "Objectives of priorities."),
    Kind("measures", Measure, "objective__priority__strategy__partnership",
         "Performance measures: baseline, target, direction, frequency, owner."),
    Kind("measurements", Measurement, "measure__objective__priority__strategy__partnership",
         "Measurements over time."),
    Kind("consultations", Consultation, "partnership",
         "Public consultations on a strategy version."),
    Kind("consultation_sections", Section, "consultation__partnership",
         "Sections of each consultation's questionnaire."),
    Kind("consultation_questions", Question, "section__consultation__partnership",
         "Questions of each section."),
    Kind("school_class_codes", SchoolClassCode, "consultation__partnership",
         "Codes given to school classes (no pupil's details)."),
    Kind("responses", Response, "consultation__partnership",
         "Responses, with their reference. An erased response keeps only its closed "
         "answers, as on the site.", leave_out=("idempotency_token",)),
    Kind("answers", Answer, "response__consultation__partnership",
         "Answers, one row per value. Free text past its consultation's retention period "
         "reads as the retention mark, as on the site."),
    Kind("draft_comments", DraftComment, "consultation__partnership",
         "Comments on the draft's priorities (text as retention allows)."),
    Kind("equality_responses", EqualityResponse, "consultation__partnership",
         "Optional equality monitoring, only for consultations still within their "
         "retention period; after it, the counts are in consultations.retained_summary."),
    Kind("consultation_documents", Document, "consultation__partnership",
         "Documents beside a consultation's draft (easy read, large print, maps): title, "
         "description and the file under files/."),
    Kind("consultee_records", ConsulteeRecord, "strategy__partnership",
         "The log proving each required consultee was consulted on a strategy: who, "
         "when, how and the evidence."),
    Kind("themes", Theme, "consultation__partnership",
         "Themes coded from responses: \"you said, we did\"."),
    Kind("plan_templates", MilestoneTemplate, "partnership",
         "The partnership's own plan templates (not the installation's)."),
    Kind("plan_template_steps", MilestoneTemplateStep, "template__partnership",
         "Steps of the partnership's plan templates."),
    Kind("milestones", Milestone, "partnership", "Dated steps of the process."),
    Kind("signoff_requests", SignOffRequest, "partnership",
         "Requests to a board to sign off a version or an assessment."),
    Kind("signoff_reviews", SignOffReview, "request__partnership", "Board members' reviews."),
    Kind("signoff_decisions", SignOffDecision, "request__partnership",
         "Boards' decisions, with date and minute reference."),
    Kind("duty_records", DutyRecord, "partnership",
         "Officers' records that a duty was done."),
    Kind("reviews", Review, "partnership",
         "Reviews (domestic abuse related death reviews, ASB case reviews, scrutiny) and "
         "their status."),
    Kind("review_recommendations", Recommendation, "review__partnership",
         "The numbered recommendations of each review."),
    Kind("actions", Action, "partnership",
         "Actions answering a review's or the policing body's recommendation: owner, due "
         "date, status, evidence of completion."),
    Kind("asb_case_review_returns", AsbCaseReviewReturn, "partnership",
         "The yearly ASB case review figures and their publication date."),
    Kind("reports", PartnershipReport, "partnership",
         "Partnership reports in the boards' format."),
    Kind("report_documents", ReportDocument, "report__partnership",
         "PDFs of partnership reports; the file is under files/."),
    Kind("strategy_documents", RenderedDocument, "version__strategy__partnership",
         "Strategy PDFs of frozen versions; the file is under files/."),
    Kind("performance_reports", PerformanceReportDocument, "strategy__partnership",
         "Quarterly performance reports of strategies, as board papers; the file is under "
         "files/."),
]

# Models with data of a partnership that an archive leaves out on purpose
# (see the module's docstring), by "app_label.ModelName".
LEFT_OUT = {
    "partnerships.Membership", "partnerships.Invitation", "partnerships.RoleChange",
    "audit.AuditEvent", "consultation.RightsRequest", "accessibility.FormatRequest",
    "reminders.ReminderSettings", "reminders.ReminderPreferences", "reminders.ReminderDigest",
    "reminders.SentReminder", "reminders.Notice", "milestones.CalendarToken",
    "subscriptions.Subscription", "subscriptions.Notification",
    "consultation.ReceiptRequest", "consultation.SavedJourney",
    "consultation.CodingAction", "consultation.CodingActionAnswer",
    "consultation.SuggestionRun", "consultation.SuggestedTheme",
    "consultation.CodingSuggestion", "archive.PartnershipArchive",
    "crimedata.CrimeArea", "crimedata.CrimeCount", "crimedata.CrimeImport",
    "crimedata.CrimeSeriesLink",
}

KIND_BY_NAME = {kind.name: kind for kind in KINDS}
KIND_BY_MODEL = {kind.model: kind for kind in KINDS}

# Rows outside the partnership that its rows point at, written to their own
# files and matched (not duplicated) on import.
PEOPLE = "people"
RESPONSIBILITIES = "statutory_responsibilities"
PEOPLE_FIELDS = ("id", "first_name", "last_name", "email")
RESPONSIBILITY_FIELDS = ("id", "code", "name", "description", "order")
RESPONSIBILITY_MODEL = StatutoryResponsibility


def fields_of(kind: Kind) -> list[models.Field]:
    """The concrete fields written for a kind, the primary key first."""
    return [
        f for f in kind.model._meta.concrete_fields if f.name not in kind.leave_out
    ]


def m2m_of(kind: Kind) -> list[models.ManyToManyField]:
    return list(kind.model._meta.many_to_many)


def column(f: models.Field) -> str:
    """The name of a field in the archive: a link is `<name>_id`."""
    return f.attname
