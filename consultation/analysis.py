"""Reads for the analysis pages: every count is a GROUP BY in the database,
and the number of queries does not depend on the number of responses."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Avg, Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate

from consultation.models import (
    Answer,
    Audience,
    Channel,
    Consultation,
    DraftComment,
    EqualityResponse,
    Question,
    Response,
    SchoolClassCode,
    Theme,
)
from strategy.models import Strategy

# Equality answers and what people wrote are shown together only for groups
# of at least this many people: fewer could single someone out, and their
# answer could then be matched to the response export.
EQUALITY_MINIMUM = 10

# Why free text was not filtered by an equality group.
GROUP_TOO_SMALL = "group_too_small"
RESULT_TOO_SMALL = "result_too_small"


@dataclass
class Bar:
    label: str
    count: int
    percent: float = 0.0


@dataclass
class QuestionResult:
    question: Question
    part_label: str = ""
    bars: list[Bar] = field(default_factory=list)
    total: int = 0

    @property
    def chart_height(self) -> int:
        return 30 * len(self.bars) + 10


def _label_counts(rows: dict, pairs: list[tuple[str, str]]) -> list[Bar]:
    total = sum(rows.values())
    bars = []
    for value, label in pairs:
        n = rows.get(value, 0)
        bars.append(Bar(label=label, count=n, percent=round(100 * n / total, 1) if total else 0))
    return bars


def response_counts(consultation: Consultation) -> dict:
    """How many responded, by channel, audience, day and school. For a
    historical record, the numbers the partnership entered (by channel
    only): it holds no responses of its own."""
    if consultation.is_historical:
        recorded = consultation.recorded_responses or {}
        return {
            "total": consultation.recorded_total,
            "by_channel": _label_counts(recorded, list(Channel.choices)),
            "by_audience": _label_counts({}, list(Audience.choices)),
            "by_day": [],
            "by_school": [],
            "historical": True,
        }
    responses = Response.objects.filter(consultation=consultation)
    by_channel_rows: dict[str, int] = {}
    by_audience_rows: dict[str, int] = {}
    for row in responses.values("channel", "audience").annotate(n=Count("id")).order_by():
        by_channel_rows[row["channel"]] = by_channel_rows.get(row["channel"], 0) + row["n"]
        by_audience_rows[row["audience"]] = by_audience_rows.get(row["audience"], 0) + row["n"]
    by_day = list(
        responses.annotate(day=TruncDate("submitted_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    schools = list(
        responses.filter(class_code__isnull=False)
        .values("class_code__school", "age_band")
        .annotate(n=Count("id"))
        .order_by("class_code__school", "age_band")
    )
    age_labels = dict(Response.AgeBand.choices)
    for row in schools:
        row["age_band_label"] = age_labels.get(row["age_band"], "Not given")
    total = sum(by_channel_rows.values())
    return {
        "total": total,
        "by_channel": _label_counts(by_channel_rows, list(Channel.choices)),
        "by_audience": _label_counts(by_audience_rows, list(Audience.choices)),
        "by_day": by_day,
        "by_school": schools,
        "historical": False,
    }


def response_total(consultation: Consultation) -> int:
    """How many responded: one COUNT, or the figures a historical record holds."""
    if consultation.is_historical:
        return consultation.recorded_total
    return Response.objects.filter(consultation=consultation).count()


def question_results(consultation: Consultation) -> list[QuestionResult]:
    """Counts for every choice, scale and safety question, in one query."""
    questions = list(
        Question.objects.filter(section__consultation=consultation)
        .exclude(kind__in=[Question.Kind.TEXT, Question.Kind.RANKING])
        .select_related("section")
        .order_by("section__order", "section__pk", "order", "pk")
    )
    counts: dict[tuple[int, str], dict[str, int]] = {}
    rows = (
        Answer.objects.filter(question__in=[q.pk for q in questions])
        .values("question_id", "part", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts.setdefault((row["question_id"], row["part"]), {})[row["value"]] = row["n"]
    results = []
    for question in questions:
        parts = (
            Question.SAFETY_PARTS if question.kind == Question.Kind.SAFETY else [("", "")]
        )
        for part, part_label in parts:
            found = counts.get((question.pk, part), {})
            bars = _label_counts(found, question.option_pairs())
            results.append(
                QuestionResult(
                    question=question, part_label=part_label, bars=bars,
                    total=sum(found.values()),
                )
            )
    return results


def ranking_results(consultation: Consultation) -> list[dict]:
    """Per ranking question: each priority's average rank (lower is more
    important) and how many put it first."""
    questions = list(
        Question.objects.filter(section__consultation=consultation, kind=Question.Kind.RANKING)
        .order_by("section__order", "order", "pk")
    )
    rows = (
        Answer.objects.filter(question__in=[q.pk for q in questions])
        .values("question_id", "value")
        .annotate(average=Avg("rank"), first=Count("id", filter=Q(rank=1)), n=Count("id"))
        .order_by()
    )
    by_question: dict[int, list[dict]] = {}
    titles = {str(p["id"]): p["title"] for p in consultation.draft_priorities}
    for row in rows:
        by_question.setdefault(row["question_id"], []).append(
            {
                "title": titles.get(row["value"], "A priority no longer in the draft"),
                "average": round(row["average"] or 0, 2),
                "first": row["first"],
                "n": row["n"],
            }
        )
    return [
        {"question": q, "rows": sorted(by_question.get(q.pk, []), key=lambda r: r["average"])}
        for q in questions
    ]


def text_questions(consultation: Consultation) -> QuerySet[Question]:
    return Question.objects.filter(
        section__consultation=consultation, kind=Question.Kind.TEXT
    ).order_by("section__order", "order", "pk")


def free_text(
    consultation: Consultation,
    *,
    search: str = "",
    question_id: int | None = None,
    audience: str = "",
    theme_id: int | None = None,
) -> QuerySet[Answer]:
    """Free-text answers with filters. To narrow them to an equality group,
    use free_text_for_group, which refuses groups that are too small."""
    answers = Answer.objects.filter(
        question__section__consultation=consultation, question__kind=Question.Kind.TEXT
    ).exclude(text="")
    if question_id:
        answers = answers.filter(question_id=question_id)
    if audience:
        answers = answers.filter(response__audience=audience)
    if theme_id:
        answers = answers.filter(themes__id=theme_id)
    if search:
        answers = search_text(answers, search)
    # Answer ids follow submission order; sorting by them needs no join.
    return answers.select_related("question", "response").order_by("pk")


def respondents(answers: QuerySet[Answer]) -> int:
    return answers.order_by().values("response_id").distinct().count()


def free_text_for_group(
    consultation: Consultation,
    *,
    equality_field: str = "",
    equality_value: str = "",
    **filters,
) -> tuple[QuerySet[Answer], str]:
    """Free text narrowed to an equality group, only where nobody can be
    singled out. Returns the answers and, when the group filter was not
    applied, why (GROUP_TOO_SMALL or RESULT_TOO_SMALL).

    - A group of fewer than EQUALITY_MINIMUM people: the filter is not
      applied; the list is the one without it, which tells nothing about
      the group.
    - Otherwise the group is combined with the other filters (search,
      question, audience, theme). If fewer than EQUALITY_MINIMUM respondents
      in the group match, or fewer than that match without being in it (so
      that comparing with the list without the group filter would show who
      is outside the group), no answers are shown at all.
    """
    answers = free_text(consultation, **filters)
    if equality_field not in EqualityResponse.FIELDS or not equality_value:
        return answers, ""
    group_size = EqualityResponse.objects.filter(
        consultation=consultation, **{equality_field: equality_value}
    ).count()
    if group_size < EQUALITY_MINIMUM:
        return answers, GROUP_TOO_SMALL
    in_group = answers.filter(**{f"response__equality__{equality_field}": equality_value})
    inside = respondents(in_group)
    outside = respondents(answers) - inside
    if inside < EQUALITY_MINIMUM or 0 < outside < EQUALITY_MINIMUM:
        return answers.none(), RESULT_TOO_SMALL
    return in_group, ""


def search_text(answers: QuerySet[Answer], search: str) -> QuerySet[Answer]:
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        return answers.annotate(
            search_vector=SearchVector("text", config="english")
        ).filter(search_vector=SearchQuery(search, config="english", search_type="websearch"))
    return answers.filter(text__icontains=search)


def comments(
    consultation: Consultation, *, priority_ref: str = "", search: str = ""
) -> QuerySet[DraftComment]:
    rows = DraftComment.objects.filter(consultation=consultation)
    if priority_ref:
        rows = rows.filter(priority_ref=priority_ref)
    if search:
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            rows = rows.annotate(sv=SearchVector("text", config="english")).filter(
                sv=SearchQuery(search, config="english", search_type="websearch")
            )
        else:
            rows = rows.filter(text__icontains=search)
    return rows.select_related("response").order_by("priority_ref", "pk")


def comment_counts(consultation: Consultation) -> list[dict]:
    return list(
        DraftComment.objects.filter(consultation=consultation)
        .values("priority_ref", "target_label")
        .annotate(n=Count("id"))
        .order_by("priority_ref")
    )


def themes_with_counts(consultation: Consultation) -> QuerySet[Theme]:
    """Themes with how many answers and comments were coded to each, counted
    by subqueries so the two joins do not multiply each other."""
    answers = (
        Theme.answers.through.objects.filter(theme_id=OuterRef("pk"))
        .order_by()
        .values("theme_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    comments_ = (
        Theme.comments.through.objects.filter(theme_id=OuterRef("pk"))
        .order_by()
        .values("theme_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Theme.objects.filter(consultation=consultation)
        .select_related("priority")
        .annotate(
            answer_count=Coalesce(Subquery(answers, output_field=IntegerField()), 0),
            comment_count=Coalesce(Subquery(comments_, output_field=IntegerField()), 0),
        )
    )


def equality_counts(consultation: Consultation) -> dict[str, list[Bar]]:
    """Equality monitoring as counts only, one query per field: the rows
    still held, plus those counted into the consultation's retained summary
    when the retention period or a respondent's erasure deleted them, so
    the totals never change."""
    result = {}
    rows_by_field = {}
    retained = (consultation.retained_summary or {}).get("equality", {})
    for name in EqualityResponse.FIELDS:
        counts = dict(
            EqualityResponse.objects.filter(consultation=consultation)
            .values_list(name)
            .annotate(n=Count("id"))
            .values_list(name, "n")
            .order_by()
        )
        for value, n in retained.get(name, {}).items():
            counts[value] = counts.get(value, 0) + n
        rows_by_field[name] = counts
    for name in EqualityResponse.FIELDS:
        choices = list(EqualityResponse._meta.get_field(name).choices)
        result[name] = _label_counts(rows_by_field[name], choices)
    return result


def school_codes_with_counts(consultation: Consultation) -> QuerySet[SchoolClassCode]:
    # Meta.ordering does not apply to a GROUP BY query: without an order the
    # rows came in whatever order the database stored them.
    return consultation.class_codes.annotate(response_count=Count("responses")).order_by(
        "school", "class_name", "pk"
    )


def historical_note(consultation: Consultation) -> dict | None:
    """What a historical record shows wherever it is summarised: who entered
    it and when, its results and headline figures. None for a consultation
    run here."""
    if not consultation.is_historical:
        return None
    by = consultation.recorded_by
    return {
        "recorded_on": consultation.created_at,
        "recorded_by": (by.get_full_name() or by.get_username()) if by else "",
        "findings": consultation.findings,
        "headline_figures": list(consultation.headline_figures or []),
        "by_channel": [
            bar for bar in _label_counts(consultation.recorded_responses or {},
                                         list(Channel.choices)) if bar.count
        ],
    }


def feedback_for_strategy(strategy: Strategy) -> list[dict]:
    consultations = Consultation.objects.filter(
        strategy=strategy, status=Consultation.Status.FEEDBACK
    ).order_by("opens_at")
    result = []
    for consultation in consultations.select_related("recorded_by"):
        themes = themes_with_counts(consultation)
        result.append(
            {
                "consultation": consultation,
                "title": consultation.title,
                "opens_at": consultation.opens_at,
                "closes_at": consultation.ended_at,
                "planned_closes_at": consultation.closes_at,
                "closed_early": consultation.closed_early,
                "responses": response_total(consultation),
                "historical": historical_note(consultation),
                "themes": [
                    {
                        "name": t.name,
                        "you_said": t.you_said,
                        "we_did": t.we_did,
                        "priority": t.priority.title if t.priority else "",
                        "why_not": t.why_not,
                        "mentions": t.answer_count + t.comment_count,
                    }
                    for t in themes
                ],
            }
        )
    return result
