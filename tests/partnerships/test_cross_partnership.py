"""Only the partnership's own organisations, boards and people can be
chosen: the forms do not offer others, the forms refuse them if posted, the
services refuse them whoever calls, and on PostgreSQL the database refuses a
membership whose organisation is another partnership's."""

import os

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from partnerships import services
from partnerships.forms import BoardMemberForm, InvitationForm, PersonForm
from partnerships.models import BoardMembership, Membership
from strategy import services as strategy_services
from strategy.forms import MeasureForm, ObjectiveForm
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_partnership):
    return factories.OrganisationFactory(partnership=other_partnership, short_name="Probation")


@pytest.fixture
def ours(partnership):
    return factories.OrganisationFactory(partnership=partnership, short_name="Probation")


def test_set_up_forms_offer_and_accept_only_the_partnerships_organisations(
    partnership, board, ours, theirs
):
    for form in (
        InvitationForm(partnership=partnership),
        PersonForm(partnership=partnership),
        BoardMemberForm(board=board),
    ):
        assert list(form.fields["organisation"].queryset) == [ours]
    # Listed by full name, so two partnerships' "Probation" never look alike.
    choices = [label for _, label in InvitationForm(partnership=partnership)
               .fields["organisation"].choices]
    assert ours.name in choices
    posted = PersonForm({"role": "partner", "organisation": theirs.pk}, partnership=partnership)
    assert not posted.is_valid()
    assert "organisation" in posted.errors


def test_the_board_member_form_offers_only_people_of_the_partnership(
    partnership, board, officer, other_officer
):
    form = BoardMemberForm(board=board)
    assert officer in form.fields["user"].queryset
    assert other_officer not in form.fields["user"].queryset
    posted = BoardMemberForm({"user": other_officer.pk, "role": "member"}, board=board)
    assert not posted.is_valid() and "user" in posted.errors


def test_strategy_forms_offer_only_the_strategys_partnership_organisations(
    partnership, ours, theirs
):
    for form in (ObjectiveForm(partnership=partnership), MeasureForm(partnership=partnership)):
        field = form.fields.get("lead_organisation") or form.fields["owner_organisation"]
        assert list(field.queryset) == [ours]


def test_services_refuse_another_partnerships_organisation_for_a_membership(
    partnership, officer, theirs
):
    with pytest.raises(ValidationError) as refused:
        services.membership_set(partnership=partnership, user=officer, role="partner",
                                organisation=theirs)
    assert "organisation" in refused.value.message_dict
    assert Membership.objects.get(user=officer).organisation.partnership_id == partnership.pk


def test_services_refuse_a_board_seat_for_someone_outside_the_partnership(
    partnership, board, other_officer, officer, theirs
):
    with pytest.raises(ValidationError) as refused:
        services.board_member_add(board=board, user=other_officer, role="member",
                                  organisation=None)
    assert "user" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.board_member_add(board=board, user=officer, role="member", organisation=theirs)
    assert "organisation" in refused.value.message_dict
    assert not BoardMembership.objects.filter(board=board).exists()
    seat = services.board_member_add(board=board, user=officer, role="chair", organisation=None)
    with pytest.raises(ValidationError):
        services.board_member_update(board_membership=seat, role="chair", organisation=theirs)


def test_invitations_refuse_another_partnerships_organisation(partnership, theirs):
    with pytest.raises(ValidationError) as refused:
        services.invitation_create(partnership=partnership, email="a@example.org",
                                   role="partner", organisation=theirs,
                                   site_url="http://testserver")
    assert "organisation" in refused.value.message_dict


def test_strategy_services_refuse_another_partnerships_lead_or_owner_organisation(
    partnership, ours, theirs
):
    objective = factories.ObjectiveFactory(
        priority=factories.PriorityFactory(strategy=factories.StrategyFactory(
            partnership=partnership)),
        lead_organisation=ours,
    )
    with pytest.raises(ValidationError) as refused:
        strategy_services.objective_create(priority=objective.priority, title="X",
                                           lead_organisation=theirs)
    assert "lead_organisation" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        strategy_services.objective_update(objective=objective, title="X",
                                           lead_organisation=theirs)
    assert "lead_organisation" in refused.value.message_dict
    measure = factories.MeasureFactory(objective=objective)
    with pytest.raises(ValidationError) as refused:
        strategy_services.measure_update(measure=measure, owner_organisation=theirs)
    assert "owner_organisation" in refused.value.message_dict
    measure.refresh_from_db()
    assert measure.owner_organisation == ours


@pytest.mark.postgres
def test_postgres_refuses_a_membership_whose_organisation_is_another_partnerships(
    partnership, officer, theirs
):
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI runs the tests on PostgreSQL: set DATABASE_URL")
        pytest.skip("The composite foreign key exists on PostgreSQL: set DATABASE_URL.")
    membership = Membership.objects.get(user=officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        # .update() skips full_clean: only the database stands in the way.
        Membership.objects.filter(pk=membership.pk).update(organisation=theirs)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
