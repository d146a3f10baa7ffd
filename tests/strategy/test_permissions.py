"""The permission matrix for every strategy page: who gets the page, who is
refused (403), and who is told it does not exist (404)."""

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.urlwalk import url_names

pytestmark = pytest.mark.django_db


def _strategy_urls(w):
    s = w.strategy.slug
    p = w.partnership.slug
    return {
        # Pages everyone in the partnership may read.
        "read": {
            "strategy:detail": reverse("strategy:detail", args=[s]),
            "strategy:history": reverse("strategy:history", args=[s]),
            "strategy:performance_summary": reverse("strategy:performance_summary", args=[s]),
            "strategy:measure_detail": reverse("strategy:measure_detail", args=[s, w.measure.pk]),
            "strategy:proposal_list": reverse("strategy:proposal_list", args=[s]),
            "strategy:version_list": reverse("strategy:version_list", args=[s]),
            "strategy:version_detail": reverse("strategy:version_detail", args=[s, 1]),
            "strategy:version_compare": reverse("strategy:version_compare", args=[s])
            + "?a=1&b=1",
            "strategy:assessment_detail": reverse("strategy:assessment_detail", args=[p, 2021]),
        },
        # Forms only partnership officers may open.
        "officer": {
            "strategy:create": reverse("strategy:create", args=[p]),
            "strategy:edit": reverse("strategy:edit", args=[s]),
            "strategy:transition_confirm": reverse(
                "strategy:transition_confirm", args=[s, "adopted"]
            ),
            "strategy:transition_record": reverse("strategy:transition_record", args=[s]),
            "strategy:priority_create": reverse("strategy:priority_create", args=[s]),
            "strategy:priority_edit": reverse("strategy:priority_edit", args=[s, w.priority.pk]),
            "strategy:priority_delete": reverse(
                "strategy:priority_delete", args=[s, w.priority.pk]
            ),
            "strategy:objective_create": reverse(
                "strategy:objective_create", args=[s, w.priority.pk]
            ),
            "strategy:objective_edit": reverse(
                "strategy:objective_edit", args=[s, w.objective.pk]
            ),
            "strategy:objective_delete": reverse(
                "strategy:objective_delete", args=[s, w.objective.pk]
            ),
            "strategy:measure_create": reverse(
                "strategy:measure_create", args=[s, w.objective.pk]
            ),
            "strategy:measure_edit": reverse("strategy:measure_edit", args=[s, w.measure.pk]),
            "strategy:measure_delete": reverse(
                "strategy:measure_delete", args=[s, w.measure.pk]
            ),
            "strategy:proposal_decide": reverse(
                "strategy:proposal_decide", args=[s, w.proposal.pk]
            ),
            "strategy:assessment_create": reverse("strategy:assessment_create", args=[p]),
            "strategy:assessment_edit": reverse("strategy:assessment_edit", args=[p, 2021]),
            "strategy:line_create": reverse("strategy:line_create", args=[p, 2021]),
            "strategy:line_edit": reverse("strategy:line_edit", args=[p, 2021, w.line.pk]),
            "strategy:line_delete": reverse("strategy:line_delete", args=[p, 2021, w.line.pk]),
            # A strategic needs assessment's full text is for officers only.
            "strategy:needs_assessment_detail": reverse(
                "strategy:needs_assessment_detail", args=[p, 2021]
            ),
            "strategy:needs_assessment_create": reverse(
                "strategy:needs_assessment_create", args=[p]
            ),
            "strategy:needs_assessment_edit": reverse(
                "strategy:needs_assessment_edit", args=[p, 2021]
            ),
            "strategy:needs_line_create": reverse("strategy:needs_line_create", args=[p, 2021]),
            "strategy:needs_line_edit": reverse(
                "strategy:needs_line_edit", args=[p, 2021, w.needs_line.pk]
            ),
            "strategy:needs_line_delete": reverse(
                "strategy:needs_line_delete", args=[p, 2021, w.needs_line.pk]
            ),
        },
        # Actions (POST only) for partnership officers.
        "officer_post": {
            "strategy:transition": reverse("strategy:transition", args=[s]),
            "strategy:priority_move": reverse("strategy:priority_move", args=[s, w.priority.pk]),
            "strategy:version_save": reverse("strategy:version_save", args=[s]),
        },
        # Officers and partner officers (not board members).
        "staff": {
            "strategy:proposal_create": reverse("strategy:proposal_create", args=[s]),
        },
        # Officers, and partner officers of the organisation owning the measure.
        "measurement": {
            "strategy:measurement_create": reverse(
                "strategy:measurement_create", args=[s, w.measure.pk]
            ),
            "strategy:measurement_edit": reverse(
                "strategy:measurement_edit", args=[s, w.measurement.pk]
            ),
            # Measurements by the file: those who may update at least one measure.
            "strategy:perf_upload": reverse("strategy:perf_upload", args=[s]),
            "strategy:perf_download_xlsx": reverse("strategy:perf_download_xlsx", args=[s]),
            "strategy:perf_download_csv": reverse("strategy:perf_download_csv", args=[s]),
        },
    }


EXPECTED_GET = {
    # kind: {role: status}
    "read": {"officer": 200, "partner": 200, "board_member": 200, "other_officer": 404},
    "officer": {"officer": 200, "partner": 403, "board_member": 403, "other_officer": 404},
    "staff": {"officer": 200, "partner": 200, "board_member": 403, "other_officer": 404},
    "measurement": {"officer": 200, "partner": 200, "board_member": 403, "other_officer": 404},
}


def test_every_signed_in_page_of_the_strategy_app_is_in_the_matrix(world):
    covered = {name for group in _strategy_urls(world).values() for name in group}
    covered |= {"strategy:list", "strategy:assessment_list"}
    # Sends back to the upload page without an upload (tests/strategy/test_perf_file.py).
    covered |= {"strategy:perf_check"}
    public = {"strategy:public_list", "strategy:public_detail", "strategy:public_priority",
              "strategy:public_json", "strategy:needs_assessment_public"}
    strategy_pages = {n for n in url_names() if n.startswith("strategy:")}
    assert strategy_pages - public == covered


@pytest.mark.parametrize("role", ["officer", "partner", "board_member", "other_officer"])
def test_each_role_gets_what_it_may_see_and_nothing_else(world, role):
    client = client_for(getattr(world, role))
    for kind, expected in EXPECTED_GET.items():
        for name, url in _strategy_urls(world)[kind].items():
            status = client.get(url).status_code
            assert status == expected[role], f"{role} GET {name} ({url}) answered {status}"


@pytest.mark.parametrize(
    "role, status", [("partner", 403), ("board_member", 403), ("other_officer", 404)]
)
def test_only_officers_of_the_partnership_may_post_actions(world, role, status):
    client = client_for(getattr(world, role))
    for name, url in _strategy_urls(world)["officer_post"].items():
        response = client.post(url, {"to_status": "consultation", "direction": "up"})
        assert response.status_code == status, f"{role} POST {name} answered {response.status_code}"
    for name, url in _strategy_urls(world)["officer"].items():
        response = client.post(url, {})
        assert response.status_code == status, f"{role} POST {name} answered {response.status_code}"


def test_officers_may_post_actions(world):
    client = client_for(world.officer)
    for name, url in _strategy_urls(world)["officer_post"].items():
        response = client.post(url, {"to_status": "consultation", "direction": "up"})
        assert response.status_code == 302, f"POST {name} answered {response.status_code}"


def test_anonymous_visitors_are_sent_to_sign_in_on_every_officer_page(world, client):
    for urls in _strategy_urls(world).values():
        for name, url in urls.items():
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code == 302, f"{method} {name}: {response.status_code}"
                assert response["Location"].startswith("/sign-in/?next="), name


def test_partner_officers_record_measurements_only_for_measures_their_organisation_owns(world):
    client = client_for(world.partner)
    s = world.strategy.slug
    own = reverse("strategy:measurement_create", args=[s, world.measure.pk])
    theirs = reverse("strategy:measurement_create", args=[s, world.other_measure.pk])
    theirs_edit = reverse("strategy:measurement_edit", args=[s, world.other_measurement.pk])
    assert client.get(own).status_code == 200
    assert client.get(theirs).status_code == 403
    assert client.get(theirs_edit).status_code == 403
    data = {"period_end_0": "30", "period_end_1": "9", "period_end_2": "2022", "value": "90"}
    assert client.post(theirs, data).status_code == 403
    assert not world.other_measure.measurements.filter(period_end="2022-09-30").exists()
    assert client.post(own, data).status_code == 302
    assert world.measure.measurements.filter(period_end="2022-09-30").exists()


def test_the_lists_show_only_the_users_own_partnerships(world):
    html = client_for(world.other_officer).get(reverse("strategy:list")).content.decode()
    assert world.strategy.title not in html
    html = client_for(world.partner).get(reverse("strategy:list")).content.decode()
    assert world.strategy.title in html
    html = client_for(world.other_officer).get(reverse("strategy:assessment_list")).content
    assert world.assessment.title not in html.decode()


def test_public_pages_open_to_anyone_but_drafts_are_never_public(world, published, client):
    assert client.get(reverse("strategy:public_list")).status_code == 200
    assert client.get(published.get_public_url()).status_code == 200
    assert client.get(reverse("strategy:public_json", args=[published.slug])).status_code == 200
    assert client.get(world.strategy.get_public_url()).status_code == 404
    draft_json = reverse("strategy:public_json", args=[world.strategy.slug])
    assert client.get(draft_json).status_code == 404
