"""Coding many answers at once: select by search, filter or similarity (or
every matching answer), add or remove a theme, see the counts follow, and
undo exactly. Every change is recorded; only the partnership's officers
may code; bad input gives a message next to the field, never a change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultation import coding, services
from consultation.models import Answer, CodingAction, Theme
from tests.conftest import client_for
from tests.consultation.coding_helpers import coding_state, consultation_with_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(partnership):
    return consultation_with_answers(partnership, 120)


def _url(consultation, name="coding", *args):
    return reverse(f"consultation:{name}", args=[consultation.slug, *args])


def _theme(consultation, name):
    return Theme.objects.get(consultation=consultation, name=name)


def _answers(consultation):
    return list(coding.codable_answers(consultation).order_by("pk"))


def test_an_officer_adds_a_theme_to_the_ticked_answers_and_the_counts_follow(
    consultation, officer
):
    lighting = _theme(consultation, "Street lighting")
    chosen = [a.pk for a in _answers(consultation)[:3]]
    page = client_for(officer).post(
        _url(consultation), {"theme": lighting.pk, "action": "add", "scope": "selected",
                             "answers": chosen},
    )
    assert page.status_code == 302
    assert set(lighting.answers.values_list("pk", flat=True)) == set(chosen)
    shown = client_for(officer).get(page["Location"]).content.decode()
    assert "“Street lighting” added to 3 answers." in shown
    assert "Street lighting (3 answers)" in shown
    assert f"{120 - 3} answers have no theme yet" in shown


def test_every_matching_answer_across_pages_is_coded_in_one_action(consultation, officer):
    youth = _theme(consultation, "Youth provision")
    matching = coding.uncoded(coding.codable_answers(consultation))
    from consultation.analysis import search_text

    expected = set(search_text(matching, "youth").values_list("pk", flat=True))
    assert len(expected) >= 5
    client = client_for(officer)
    page = client.post(_url(consultation) + "?q=youth&uncoded=True",
                       {"theme": youth.pk, "action": "add", "scope": "all"})
    assert page.status_code == 302, page.content.decode()[:2000]
    assert set(youth.answers.values_list("pk", flat=True)) == expected
    # Every answer of 120 in one action: more than two pages of 50.
    everything = client.post(_url(consultation), {
        "theme": _theme(consultation, "Drugs").pk, "action": "add", "scope": "all"})
    assert everything.status_code == 302
    assert _theme(consultation, "Drugs").answers.count() == 120


def test_removing_in_bulk_then_undoing_restores_exactly_the_previous_coding(
    consultation, officer
):
    answers = _answers(consultation)
    police, drugs = _theme(consultation, "Police visibility"), _theme(consultation, "Drugs")
    coding.coding_apply(consultation=consultation, theme=police,
                        answer_ids=[a.pk for a in answers[:40]], add=True, by=officer)
    coding.coding_apply(consultation=consultation, theme=drugs,
                        answer_ids=[a.pk for a in answers[20:60]], add=True, by=officer)
    before = coding_state(consultation)
    client = client_for(officer)
    client.post(_url(consultation), {"theme": police.pk, "action": "remove", "scope": "all"})
    assert police.answers.count() == 0 and drugs.answers.count() == 40
    removal = CodingAction.objects.filter(kind="remove").get()
    assert removal.answer_count == 40
    page = client.post(_url(consultation, "coding_undo", removal.pk))
    assert page.status_code == 302
    assert coding_state(consultation) == before
    undo = CodingAction.objects.get(source=CodingAction.Source.UNDO)
    assert undo.undoes == removal and undo.kind == "add" and undo.answer_count == 40
    # Undone once is enough.
    again = client.post(_url(consultation, "coding_undo", removal.pk), follow=True)
    assert "already been undone" in again.content.decode()
    assert coding_state(consultation) == before


def test_undoing_an_addition_leaves_answers_that_already_had_the_theme(consultation, officer):
    answers = _answers(consultation)
    lighting = _theme(consultation, "Street lighting")
    coding.coding_apply(consultation=consultation, theme=lighting,
                        answer_ids=[a.pk for a in answers[:10]], add=True, by=officer)
    before = coding_state(consultation)
    bulk = coding.coding_apply(consultation=consultation, theme=lighting,
                               answer_ids=[a.pk for a in answers[:30]], add=True, by=officer)
    assert bulk.answer_count == 20  # only those it changed are recorded
    coding.coding_undo(action=bulk, by=officer)
    assert coding_state(consultation) == before


def test_undo_waits_for_later_changes_to_the_same_answers_to_be_undone(consultation, officer):
    answers = [a.pk for a in _answers(consultation)[:10]]
    theme = _theme(consultation, "Knife crime")
    first = coding.coding_apply(consultation=consultation, theme=theme, answer_ids=answers,
                                add=True, by=officer)
    later = coding.coding_apply(consultation=consultation, theme=theme, answer_ids=answers[:2],
                                add=False, by=officer)
    refused = client_for(officer).post(_url(consultation, "coding_undo", first.pk), follow=True)
    assert "Later coding changed some of the same answers" in refused.content.decode()
    assert theme.answers.count() == 8
    coding.coding_undo(action=later, by=officer)
    coding.coding_undo(action=first, by=officer)
    assert theme.answers.count() == 0


def test_every_change_is_recorded_with_who_when_which_answers_and_theme(
    consultation, officer
):
    answers = [a.pk for a in _answers(consultation)[:5]]
    theme = _theme(consultation, "Road safety")
    client_for(officer).post(_url(consultation), {
        "theme": theme.pk, "action": "add", "scope": "selected", "answers": answers})
    action = CodingAction.objects.get()
    assert action.by == officer and action.by_name == officer.get_full_name()
    assert action.theme == theme and action.theme_name == "Road safety"
    assert action.kind == "add" and action.source == "bulk" and action.at is not None
    assert sorted(action.rows.values_list("answer_id", flat=True)) == answers
    history = client_for(officer).get(_url(consultation, "coding_history")).content.decode()
    assert "“Road safety” added" in history and officer.get_full_name() in history


def test_one_answers_own_form_is_recorded_and_can_be_undone(consultation, officer):
    answer = _answers(consultation)[0]
    one, two = _theme(consultation, "Drugs"), _theme(consultation, "Domestic abuse")
    client = client_for(officer)
    client.post(reverse("consultation:answer_code", args=[consultation.slug, answer.pk]),
                {"themes": [one.pk, two.pk]})
    client.post(reverse("consultation:answer_code", args=[consultation.slug, answer.pk]),
                {"themes": [two.pk]})
    kinds = list(CodingAction.objects.order_by("pk").values_list("theme_name", "kind", "source"))
    assert set(kinds[:2]) == {("Drugs", "add", "answer"), ("Domestic abuse", "add", "answer")}
    assert kinds[2:] == [("Drugs", "remove", "answer")]
    coding.coding_undo(action=CodingAction.objects.order_by("pk").last(), by=officer)
    assert set(answer.themes.all()) == {one, two}
    # The service without a person (used by imports and tests) records too.
    services.answer_code(answer=answer, themes=[])
    assert set(answer.themes.all()) == set()


def test_similar_to_this_one_lists_that_answer_first_then_answers_like_it(
    consultation, officer
):
    lamp = next(a for a in _answers(consultation) if "lights along the canal" in a.text)
    page = client_for(officer).get(_url(consultation) + f"?similar={lamp.pk}")
    body = page.content.decode()
    assert "Showing answers similar to" in body
    ids = coding.similar_answer_ids(consultation, lamp)
    assert ids[0] == lamp.pk and 1 < len(ids) < 120
    texts = list(Answer.objects.filter(pk__in=ids[1:6]).values_list("text", flat=True))
    assert sum("light" in t.lower() for t in texts) >= 2, texts


# Who may do it --------------------------------------------------------------


@pytest.mark.parametrize("name", ["coding", "coding_history", "suggestions"])
def test_the_coding_pages_follow_the_permission_matrix(
    name, consultation, officer, partner_officer, board_member, other_officer, client
):
    address = _url(consultation, name)
    anonymous = client.get(address)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/sign-in/")
    assert client_for(other_officer).get(address).status_code == 404
    assert client_for(partner_officer).get(address).status_code == 403
    assert client_for(board_member).get(address).status_code == 403
    assert client_for(officer).get(address).status_code == 200


def test_nobody_but_the_partnerships_officers_can_code_or_undo(
    consultation, officer, partner_officer, other_officer, client
):
    theme = _theme(consultation, "Drugs")
    post = {"theme": theme.pk, "action": "add", "scope": "all"}
    assert client.post(_url(consultation), post).status_code == 302  # to sign in
    assert client_for(other_officer).post(_url(consultation), post).status_code == 404
    assert client_for(partner_officer).post(_url(consultation), post).status_code == 403
    assert theme.answers.count() == 0 and not CodingAction.objects.exists()
    action = coding.coding_apply(consultation=consultation, theme=theme,
                                 answer_ids=[_answers(consultation)[0].pk], add=True, by=officer)
    undo = _url(consultation, "coding_undo", action.pk)
    assert client_for(other_officer).post(undo).status_code == 404
    assert client_for(partner_officer).post(undo).status_code == 403
    assert client.post(undo).status_code == 302
    assert theme.answers.count() == 1


def test_another_partnerships_action_cannot_be_undone_through_this_consultation(
    consultation, officer, other_partnership, other_officer
):
    theirs = consultation_with_answers(other_partnership, 5)
    theme = Theme.objects.filter(consultation=theirs).first()
    action = coding.coding_apply(
        consultation=theirs, theme=theme,
        answer_ids=coding.codable_answers(theirs).values_list("pk", flat=True), add=True,
        by=other_officer,
    )
    assert client_for(officer).post(_url(consultation, "coding_undo", action.pk)).status_code == 404
    assert theme.answers.count() == 5


# Bad input -------------------------------------------------------------------


def _refused(officer, consultation, data, message):
    before = coding_state(consultation)
    page = client_for(officer).post(_url(consultation), data)
    assert page.status_code == 200
    body = page.content.decode()
    assert "There is a problem" in body and message in body
    assert "govuk-error-message" in body
    assert coding_state(consultation) == before and not CodingAction.objects.exists()


def test_applying_with_no_answer_ticked_says_so(consultation, officer):
    _refused(officer, consultation, {
        "theme": _theme(consultation, "Drugs").pk, "action": "add", "scope": "selected"},
        "Select at least one answer")


@pytest.mark.parametrize("theme", ["", "999999", "abc", "99999999999999"])
def test_an_unknown_theme_is_refused(consultation, officer, theme):
    _refused(officer, consultation, {
        "theme": theme, "action": "add", "scope": "selected",
        "answers": [_answers(consultation)[0].pk]},
        "Choose a theme" if not theme else "Choose a theme from the list")


def test_another_consultations_theme_is_refused(consultation, officer, partnership):
    other = consultation_with_answers(partnership, 2)
    _refused(officer, consultation, {
        "theme": Theme.objects.filter(consultation=other).first().pk, "action": "add",
        "scope": "selected", "answers": [_answers(consultation)[0].pk]},
        "Choose a theme from the list")


def test_answer_ids_of_another_consultation_are_refused(
    consultation, officer, other_partnership
):
    theirs = consultation_with_answers(other_partnership, 3)
    tampered = [_answers(consultation)[0].pk, *coding.codable_answers(theirs).values_list(
        "pk", flat=True)]
    _refused(officer, consultation, {
        "theme": _theme(consultation, "Drugs").pk, "action": "add", "scope": "selected",
        "answers": tampered}, "not free-text answers of this consultation")
    assert not Theme.answers.through.objects.filter(answer__in=tampered).exists()


@pytest.mark.parametrize("answers", [["abc"], ["-1"], ["1e9"], ["99999999999999"]])
def test_answer_ids_that_are_not_ids_are_refused(consultation, officer, answers):
    _refused(officer, consultation, {
        "theme": _theme(consultation, "Drugs").pk, "action": "add", "scope": "selected",
        "answers": answers}, "Select from the list")


def test_a_choice_that_is_not_add_or_remove_is_refused(consultation, officer):
    _refused(officer, consultation, {
        "theme": _theme(consultation, "Drugs").pk, "action": "delete-all", "scope": "all"},
        "Choose whether to add or remove the theme")


def test_filters_that_are_not_valid_are_left_out_with_a_message(consultation, officer):
    page = client_for(officer).get(_url(consultation) + "?question=abc&similar=-4&page=zz")
    assert page.status_code == 200
    body = page.content.decode()
    assert "These filters were not used" in body and "120 matching answers" in body


# Fixed queries ---------------------------------------------------------------


def _queries(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_the_coding_page_and_history_run_the_same_queries_with_twice_the_rows(
    partnership, officer
):
    small = consultation_with_answers(partnership, 60, slug="small-one")
    large = consultation_with_answers(partnership, 120, slug="large-one")
    for consultation, n in ((small, 60), (large, 120)):
        answers = _answers(consultation)
        for i, theme in enumerate(Theme.objects.filter(consultation=consultation)[:4]):
            coding.coding_apply(consultation=consultation, theme=theme,
                                answer_ids=[a.pk for a in answers[i::4]], add=True, by=officer)
        for action in CodingAction.objects.filter(consultation=consultation)[:2]:
            coding.coding_undo(action=action, by=officer)
        assert coding.codable_answers(consultation).count() == n
    client = client_for(officer)
    for name in ("coding", "coding_history"):
        counts = [_queries(client, _url(c, name)) for c in (small, large)]
        assert counts[0] == counts[1], (name, counts)
    counts = [_queries(client, _url(c) + "?uncoded=True&q=police&page=2") for c in (small, large)]
    assert counts[0] == counts[1]


def test_no_filter_ticked_leaves_the_address_plain(consultation, officer):
    from consultation.coding_forms import CodingFilterForm

    assert CodingFilterForm({}).querystring() == ""
    assert CodingFilterForm({"uncoded": "on", "q": "lights"}).querystring() == (
        "q=lights&uncoded=True")
    body = client_for(officer).get(_url(consultation)).content.decode()
    assert "Clear the filters" not in body
