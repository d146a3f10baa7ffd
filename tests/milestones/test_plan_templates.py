"""A partnership's plan templates: the service's own templates are copied
into the partnership, renamed, their steps edited, reordered and removed,
and one chosen as the default. Only the partnership's officers may."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.forms import PlanGenerateForm, TemplateStepForm
from milestones.models import MilestoneTemplate, StepBoardRole
from milestones.template_services import (
    plan_template_copy,
    template_step_create,
    template_step_update,
)
from tests import factories
from tests.conftest import client_for
from tests.milestones.test_page_access import OFFICERS_ONLY, ROLES, _expect

pytestmark = pytest.mark.django_db

POST_OFFICERS_ONLY = _expect(302, 302, 403, 403, 403, 403, 403, 403, 404)


@pytest.fixture
def own(world):
    neutral = MilestoneTemplate.objects.installation().get(is_default=True)
    return plan_template_copy(template=neutral, partnership=world["partnership"])


def _url(name, world, template=None, step=None):
    kwargs = {"partnership": world["partnership"].slug}
    if template is not None:
        kwargs["plan_template"] = template.pk
    if step is not None:
        kwargs["step"] = step.pk
    return reverse(f"milestones:{name}", kwargs=kwargs)


def _step_data(**overrides):
    data = {
        "title": "Scrutiny committee review", "description": "", "kind": "discussion",
        "board": "", "months_before_adoption": "2", "weeks_before_adoption": "0",
        "duration_months": "0", "duration_weeks": "0",
    }
    data.update(overrides)
    return data


# Who may -------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "plan_templates", "plan_template", "plan_template_edit", "template_step_new",
    "template_step_edit", "template_step_delete",
])
def test_template_pages_open_only_for_the_partnerships_officers(world, own, name):
    template = None if name == "plan_templates" else own
    step = own.steps.first() if name.startswith("template_step_") and name != (
        "template_step_new") else None
    url = _url(name, world, template, step)
    got = {role: client_for(world["users"][role]).get(url).status_code for role in ROLES}
    assert got == OFFICERS_ONLY


@pytest.mark.parametrize("name,data", [
    ("plan_template_copy", {}),
    ("plan_template_default", {}),
    ("template_step_move", {"direction": "down"}),
    ("template_step_delete", {}),
])
def test_template_actions_are_refused_to_everyone_but_the_partnerships_officers(
    world, name, data
):
    got = {}
    for role in ROLES:
        # A fresh template each time, so that every role tries the same thing.
        template = plan_template_copy(
            template=MilestoneTemplate.objects.installation().get(is_default=True),
            partnership=world["partnership"],
        )
        step = template.steps.order_by("order").first() if "step" in name else None
        url = _url(name, world, template, step)
        got[role] = client_for(world["users"][role]).post(url, data).status_code
    assert got == POST_OFFICERS_ONLY


def test_another_partnerships_template_is_not_found_under_ours(world, other_partnership):
    theirs = plan_template_copy(
        template=MilestoneTemplate.objects.installation().first(), partnership=other_partnership
    )
    client = client_for(world["users"]["officer"])
    assert client.get(_url("plan_template", world, theirs)).status_code == 404
    assert client.post(_url("plan_template_copy", world, theirs)).status_code == 404
    step = theirs.steps.first()
    assert client.get(_url("template_step_edit", world, theirs, step)).status_code == 404


def test_the_services_templates_are_changed_only_by_copying_them(world):
    neutral = MilestoneTemplate.objects.installation().get(is_default=True)
    client = client_for(world["users"]["officer"])
    assert client.get(_url("plan_template_edit", world, neutral)).status_code == 403
    assert client.get(_url("template_step_new", world, neutral)).status_code == 403
    with pytest.raises(PermissionDenied):
        template_step_create(template=neutral, title="x", kind="discussion")


# Copying and editing ---------------------------------------------------------

def test_copying_a_template_brings_its_steps_and_board_roles_into_the_partnership(world):
    neutral = MilestoneTemplate.objects.installation().get(is_default=True)
    client = client_for(world["users"]["officer"])
    response = client.post(_url("plan_template_copy", world, neutral))
    copy = MilestoneTemplate.objects.get(partnership=world["partnership"])
    assert response.status_code == 302 and response["Location"] == _url(
        "plan_template", world, copy
    )
    assert copy.name == neutral.name and copy.copied_from == neutral and not copy.is_default
    fields = ("title", "kind", "board_role", "months_before_adoption", "weeks_before_adoption")
    assert [tuple(getattr(s, f) for f in fields) for s in copy.steps.order_by("order")] == [
        tuple(getattr(s, f) for f in fields) for s in neutral.steps.order_by("order")
    ]
    client.post(_url("plan_template_copy", world, neutral))
    assert MilestoneTemplate.objects.filter(
        partnership=world["partnership"], name=f"Copy of {neutral.name}"
    ).exists()


def test_an_officer_renames_a_template_and_a_blank_name_is_explained(world, own):
    client = client_for(world["users"]["officer"])
    url = _url("plan_template_edit", world, own)
    page = client.post(url, {"name": "", "description": ""}).content.decode()
    assert "govuk-error-summary" in page and "Enter a name for the template" in page
    assert client.post(url, {"name": "Our three-year cycle", "description": "Ours."}).status_code \
        == 302
    own.refresh_from_db()
    assert own.name == "Our three-year cycle" and own.description == "Ours."


def test_an_officer_adds_edits_reorders_and_removes_steps(world, own):
    client = client_for(world["users"]["officer"])
    response = client.post(_url("template_step_new", world, own),
                           _step_data(board=world["board"].pk))
    assert response.status_code == 302
    added = own.steps.order_by("-order").first()
    assert added.title == "Scrutiny committee review" and added.board == world["board"]
    assert added.order == 8

    client.post(_url("template_step_move", world, own, added), {"direction": "up"})
    titles = list(own.steps.order_by("order").values_list("title", flat=True))
    assert titles[-2:] == ["Scrutiny committee review", "Strategy published"]

    sign_off = own.steps.get(kind="sign_off")
    assert sign_off.board_role == StepBoardRole.SIGN_OFF
    response = client.post(_url("template_step_edit", world, own, sign_off), _step_data(
        title="Final draft approved", kind="sign_off", board=world["board"].pk,
        months_before_adoption="1", weeks_before_adoption="2",
    ))
    assert response.status_code == 302
    sign_off.refresh_from_db()
    assert (sign_off.title, sign_off.board, sign_off.board_role, sign_off.weeks_before_adoption) \
        == ("Final draft approved", world["board"], "", 2)

    assert client.get(_url("template_step_delete", world, own, added)).status_code == 200
    client.post(_url("template_step_delete", world, own, added))
    assert not own.steps.filter(pk=added.pk).exists()


@pytest.mark.parametrize("overrides,message", [
    ({"title": ""}, "Enter a title for the step"),
    ({"kind": ""}, "Choose what the step stands for"),
    ({"months_before_adoption": "eight"}, "Enter the months before adoption as a whole number"),
    ({"weeks_before_adoption": "-1"}, "The weeks before adoption must be 0 or more"),
    ({"duration_months": "2", "duration_weeks": "4"}, "in months or in weeks, not both"),
])
def test_bad_step_input_is_explained_next_to_the_field(world, own, overrides, message):
    page = client_for(world["users"]["officer"]).post(
        _url("template_step_new", world, own), _step_data(**overrides)
    ).content.decode()
    assert "govuk-error-summary" in page
    assert len(re.findall(re.escape(message), page)) == 2  # summary and field


def test_a_board_of_another_partnership_is_refused_by_the_form_and_the_service(
    world, own, other_partnership
):
    theirs = factories.BoardFactory(partnership=other_partnership)
    form = TemplateStepForm(_step_data(board=theirs.pk), partnership=world["partnership"])
    assert not form.is_valid()
    assert form.errors["board"] == ["Choose one of the partnership's boards"]
    page = client_for(world["users"]["officer"]).post(
        _url("template_step_new", world, own), _step_data(board=theirs.pk)
    ).content.decode()
    assert "Choose one of the partnership&#x27;s boards" in page
    with pytest.raises(ValidationError, match="partnership's boards"):
        template_step_create(template=own, title="x", kind="sign_off", board=theirs)
    with pytest.raises(ValidationError, match="partnership's boards"):
        template_step_update(step=own.steps.first(), board=theirs)


def test_the_partnerships_default_is_offered_first_when_a_plan_is_generated(world, own):
    partnership = world["partnership"]
    neutral = MilestoneTemplate.objects.installation().get(is_default=True)
    assert PlanGenerateForm(partnership=partnership).initial["template"] == neutral.pk
    client_for(world["users"]["officer"]).post(_url("plan_template_default", world, own))
    own.refresh_from_db()
    assert own.is_default
    assert PlanGenerateForm(partnership=partnership).initial["template"] == own.pk
    second = plan_template_copy(template=own, partnership=partnership)
    client_for(world["users"]["officer"]).post(_url("plan_template_default", world, second))
    assert list(partnership.plan_templates.filter(is_default=True)) == [second]
    # Another partnership still gets the service's default.
    other = factories.PartnershipFactory()
    assert MilestoneTemplate.objects.default_for(other) == neutral


# Query counts ---------------------------------------------------------------

def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def test_the_template_list_makes_as_many_queries_for_twice_the_templates(world):
    neutral = MilestoneTemplate.objects.installation().get(is_default=True)
    client = client_for(world["users"]["officer"])
    url = _url("plan_templates", world)
    for _ in range(3):
        plan_template_copy(template=neutral, partnership=world["partnership"])
    before = _queries(client, url)
    for _ in range(3):
        plan_template_copy(template=neutral, partnership=world["partnership"])
    assert _queries(client, url) == before
    page = client.get(url).content.decode()
    assert page.count("Copy of Three-year strategy") == 5


def test_a_template_page_makes_as_many_queries_for_twice_the_steps(world, own):
    client = client_for(world["users"]["officer"])
    url = _url("plan_template", world, own)
    before = _queries(client, url)
    for n in range(8):
        template_step_create(template=own, title=f"Extra {n}", kind="discussion",
                             board=world["board"])
    assert _queries(client, url) == before
