"""Only the partnership's officers run a consultation: another partnership's
officers get 404, partner officers and board members 403, the public the
sign-in page. Officers build questions, key in paper responses and issue
class codes."""

import pytest
from django.urls import reverse

from consultation import services
from consultation.models import Answer, Question, Response, SchoolClassCode, Section
from tests import factories
from tests.conftest import client_for
from tests.consultation.factories import open_consultation
from tests.factories import StrategyFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "manage", "edit", "questions", "class_codes", "paper_entry", "analysis", "free_text",
    "comments", "themes", "export_csv", "export_xlsx", "export_equality_csv",
    "export_equality_xlsx",
]


@pytest.fixture
def consultation(partnership):
    return open_consultation(partnership)


@pytest.mark.parametrize("name", PAGES)
def test_each_officer_page_follows_the_permission_matrix(
    name, consultation, officer, partner_officer, board_member, other_officer, client
):
    address = reverse(f"consultation:{name}", args=[consultation.slug])
    anonymous = client.get(address)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/sign-in/")
    assert client_for(other_officer).get(address).status_code == 404
    assert client_for(partner_officer).get(address).status_code == 403
    assert client_for(board_member).get(address).status_code == 403
    assert client_for(officer).get(address).status_code == 200


@pytest.mark.parametrize("name", ["export_csv", "export_xlsx", "export_equality_csv",
                                  "export_equality_xlsx"])
def test_exports_are_refused_to_the_public_and_to_another_partnerships_officers(
    name, consultation, other_officer, client
):
    services.response_submit(consultation=consultation, audience="public", answers={},
                             equality={"sex": "female"})
    address = reverse(f"consultation:{name}", args=[consultation.slug])
    assert client.get(address).status_code == 302
    refused = client_for(other_officer).get(address)
    assert refused.status_code == 404
    assert f"{consultation.partnership.short_code}-".encode() not in refused.content


def test_the_responses_export_has_one_row_per_response_and_no_equality_data(
    consultation, officer
):
    response, _ = services.response_submit(
        consultation=consultation, audience="public",
        answers={str(q.pk): "=cmd()" for q in Question.objects.filter(kind="text")},
        equality={"sex": "female", "ethnicity": "asian"},
    )
    csv = client_for(officer).get(
        reverse("consultation:export_csv", args=[consultation.slug])).content.decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert len(lines) == 2
    assert response.reference in lines[1]
    assert "Asian" not in csv and "Female" not in csv
    assert "'=cmd()" in csv  # spreadsheet formulas are defused

    equality = client_for(officer).get(
        reverse("consultation:export_equality_csv", args=[consultation.slug])
    ).content.decode("utf-8-sig")
    assert "Asian or Asian British" in equality
    assert response.reference not in equality


def test_the_xlsx_export_opens_in_openpyxl(consultation, officer):
    import io

    from openpyxl import load_workbook

    services.response_submit(consultation=consultation, audience="public", answers={})
    content = client_for(officer).get(
        reverse("consultation:export_xlsx", args=[consultation.slug])).content
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.max_row == 2
    assert sheet.cell(row=1, column=1).value == "Reference"


def test_an_officer_creates_a_consultation_with_the_default_questions_and_a_12_week_period(
    partnership, officer
):
    strategy = StrategyFactory(partnership=partnership)
    page = client_for(officer).post(reverse("consultation:create"), {
        "strategy": strategy.pk, "title": "Our draft", "slug": "our-draft",
        "summary": "Tell us", "opens_at": "2030-01-06T09:00", "closes_at": "",
        "audiences": ["public", "young_people"], "retention_days": "365",
    })
    assert page.status_code == 302, page.content.decode()[:3000]
    consultation = strategy.consultations.get()
    assert consultation.duration_days == 84
    assert not consultation.is_shorter_than_recommended
    assert consultation.status == "draft"
    assert Question.objects.filter(section__consultation=consultation).count() >= 8


def _create(officer, strategy, **fields):
    return client_for(officer).post(reverse("consultation:create"), {
        "strategy": strategy.pk, "title": "Have your say 2027", "slug": "",
        "summary": "Tell us", "opens_at": "2030-01-06T09:00", "closes_at": "",
        "audiences": ["public"], "retention_days": "365", **fields,
    })


def test_two_partnerships_may_each_run_a_consultation_of_the_same_title(
    partnership, officer, other_partnership
):
    other_officer = factories.MembershipFactory(partnership=other_partnership).user
    mine = StrategyFactory(partnership=partnership)
    theirs = StrategyFactory(partnership=other_partnership)

    assert _create(officer, mine).status_code == 302
    assert _create(other_officer, theirs).status_code == 302
    assert _create(other_officer, theirs).status_code == 302

    assert mine.consultations.get().slug == "have-your-say-2027"
    assert sorted(theirs.consultations.values_list("slug", flat=True)) == [
        f"{other_partnership.slug}-have-your-say-2027",
        f"{other_partnership.slug}-have-your-say-2027-2",
    ]


@pytest.mark.parametrize("typed, message", [
    ("have-your-say-2027", "Another consultation uses this web address"),
    ("manage", "That web address is used by the site"),
    ("your-response", "That web address is used by the site"),
])
def test_a_web_address_typed_that_is_taken_or_reserved_is_refused(partnership, officer, typed,
                                                                  message):
    strategy = StrategyFactory(partnership=partnership)
    assert _create(officer, strategy).status_code == 302
    page = _create(officer, strategy, slug=typed)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert strategy.consultations.count() == 1


def test_a_short_consultation_shows_a_warning(partnership, officer):
    strategy = StrategyFactory(partnership=partnership)
    client = client_for(officer)
    client.post(reverse("consultation:create"), {
        "strategy": strategy.pk, "title": "Short", "slug": "short", "summary": "S",
        "opens_at": "2030-01-06T09:00", "closes_at": "2030-02-03T09:00",
        "audiences": ["public"], "retention_days": "365",
    })
    page = client.get(reverse("consultation:manage", args=["short"]))
    assert "runs for 4 weeks" in page.content.decode()


def test_an_officer_cannot_create_a_consultation_on_another_partnerships_strategy(
    officer, other_partnership
):
    strategy = StrategyFactory(partnership=other_partnership)
    page = client_for(officer).post(reverse("consultation:create"), {
        "strategy": strategy.pk, "title": "X", "slug": "x", "summary": "S",
        "opens_at": "2030-01-06T09:00", "audiences": ["public"], "retention_days": "365",
    })
    assert page.status_code == 200
    assert not strategy.consultations.exists()


@pytest.fixture
def draft(partnership):
    strategy = StrategyFactory(partnership=partnership)
    from django.utils import timezone

    return services.consultation_create(strategy=strategy, title="Draft", slug="draft",
                                        summary="S", opens_at=timezone.now())


def test_the_builder_adds_edits_reorders_and_removes_questions(draft, officer):
    client = client_for(officer)
    section = draft.sections.first()
    page = client.post(reverse("consultation:question_new", args=[draft.slug, section.pk]), {
        "section": section.pk, "kind": "single", "text": "Which bus do you take?",
        "choices_text": "Number 1\nNumber 2", "max_length": "1000",
    })
    assert page.status_code == 302, page.content.decode()[:3000]
    question = Question.objects.get(text="Which bus do you take?")
    assert question.choices == ["Number 1", "Number 2"] and question.order == 3

    client.post(reverse("consultation:question_edit", args=[draft.slug, question.pk]), {
        "section": section.pk, "kind": "single", "text": "Which bus?", "required": "on",
        "choices_text": "A\nB\nC", "max_length": "1000",
    })
    question.refresh_from_db()
    assert (question.text, question.required, question.choices) == ("Which bus?", True,
                                                                    ["A", "B", "C"])

    client.post(reverse("consultation:question_move", args=[draft.slug, question.pk]),
                {"direction": "up"})
    order = list(section.questions.order_by("order").values_list("text", flat=True))
    assert order[2] == "Which bus?"

    client.post(reverse("consultation:question_delete", args=[draft.slug, question.pk]))
    assert not Question.objects.filter(pk=question.pk).exists()


def test_a_choice_question_needs_two_options(draft, officer):
    section = draft.sections.first()
    page = client_for(officer).post(
        reverse("consultation:question_new", args=[draft.slug, section.pk]),
        {"section": section.pk, "kind": "multiple", "text": "Q", "choices_text": "Only one",
         "max_length": "1000"},
    )
    assert "Enter at least two options, one per line" in page.content.decode()


def test_an_officer_adds_and_reorders_sections(draft, officer):
    client = client_for(officer)
    client.post(reverse("consultation:questions", args=[draft.slug]),
                {"section-title": "Extra", "section-audience": "all"})
    extra = Section.objects.get(title="Extra")
    client.post(reverse("consultation:section_move", args=[draft.slug, extra.pk]),
                {"direction": "up"})
    titles = list(draft.sections.order_by("order").values_list("title", flat=True))
    assert titles.index("Extra") == len(titles) - 2


def test_questions_cannot_change_once_the_consultation_is_scheduled(consultation, officer):
    question = Question.objects.filter(section__consultation=consultation).first()
    client_for(officer).post(
        reverse("consultation:question_delete", args=[consultation.slug, question.pk]))
    assert Question.objects.filter(pk=question.pk).exists()


def test_an_officer_keys_in_a_paper_response_with_its_channel(consultation, officer):
    sections = [s for s in consultation.sections.all() if s.audience in ("all", "adults")]
    questions = [q for s in sections for q in s.questions.all()]
    scale = next(q for q in questions if q.kind == "scale")
    text = next(q for q in questions if q.kind == "text")
    page = client_for(officer).post(
        reverse("consultation:paper_entry", args=[consultation.slug]) + "?audience=public",
        {"details-channel": "paper", "details-received_on": "2030-01-10", "details-consent": "yes",
         f"answers-q{scale.pk}": "agree", f"answers-q{text.pk}": "Handwritten comment",
         "token": "paper-1"},
    )
    assert page.status_code == 302, page.content.decode()[:3000]
    response = Response.objects.get()
    assert response.channel == "paper" and response.entered_by == officer
    assert response.submitted_at.date().isoformat() == "2030-01-10"
    assert Answer.objects.filter(response=response, text="Handwritten comment").exists()
    assert response.consent is True


@pytest.mark.parametrize("given, recorded", [("no", False), ("not_asked", None)])
def test_a_paper_response_records_consent_only_as_the_form_shows_it(
    consultation, officer, given, recorded
):
    url = reverse("consultation:paper_entry", args=[consultation.slug]) + "?audience=public"
    data = {"details-channel": "paper", "details-received_on": "2030-01-10", "token": "paper-2"}
    page = client_for(officer).post(url, data)
    assert page.status_code == 200
    assert "Select whether the respondent agreed to the privacy notice" in page.content.decode()
    assert not Response.objects.exists()
    page = client_for(officer).post(url, {**data, "details-consent": given})

    assert page.status_code == 302
    assert Response.objects.get().consent is recorded


def test_an_officer_issues_and_withdraws_a_class_code(consultation, officer):
    client = client_for(officer)
    client.post(reverse("consultation:class_codes", args=[consultation.slug]),
                {"school": "Oak School", "class_name": "Year 8"})
    code = SchoolClassCode.objects.get()
    assert len(code.code) == 6 and code.issued_by == officer
    client.post(reverse("consultation:class_code_withdraw", args=[consultation.slug, code.pk]))
    code.refresh_from_db()
    assert not code.is_active


def test_another_partnerships_officer_cannot_post_to_the_builder(draft, other_officer):
    question = Question.objects.filter(section__consultation=draft).first()
    page = client_for(other_officer).post(
        reverse("consultation:question_delete", args=[draft.slug, question.pk]))
    assert page.status_code == 404
    assert Question.objects.filter(pk=question.pk).exists()


def test_the_officer_list_shows_only_the_officers_partnerships(consultation, officer,
                                                               other_officer):
    page = client_for(officer).get(reverse("consultation:manage_list"))
    assert list(page.context["consultations"]) == [consultation]
    assert list(client_for(other_officer).get(
        reverse("consultation:manage_list")).context["consultations"]) == []


def test_the_dashboard_shows_officers_their_consultations_only(consultation, officer,
                                                              other_officer, board_member):
    page = client_for(officer).get(reverse("dashboard:home"))
    assert consultation.title in page.content.decode()
    assert consultation.title not in client_for(other_officer).get(
        reverse("dashboard:home")).content.decode()
    assert "Manage consultations" not in client_for(board_member).get(
        reverse("dashboard:home")).content.decode()


def test_the_consultation_lists_make_the_same_queries_with_twice_the_consultations(
    partnership, officer
):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def counts():
        result = []
        for client, address in ((client_for(officer), reverse("consultation:manage_list")),
                                (Client(), reverse("consultation:list")),
                                (client_for(officer), reverse("dashboard:home"))):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(address).status_code == 200
            result.append(len(ctx))
        return result

    for _ in range(2):
        open_consultation(partnership)
    before = counts()
    for _ in range(2):
        open_consultation(partnership)
    assert counts() == before
