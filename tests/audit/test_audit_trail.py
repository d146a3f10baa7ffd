"""Every listed action leaves an audit record saying who, when, what and
from where; records cannot be changed through the product; old records are
purged after AUDIT_RETENTION_DAYS."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audit import services, tasks
from audit.admin import AuditEventAdmin
from audit.models import Action, AuditEvent, AuditImmutable
from consultation import services as consultation_services
from partnerships.models import Membership
from partnerships.services import membership_set
from strategy.models import Strategy
from strategy.services import strategy_transition
from tests import factories
from tests.conftest import client_for
from tests.consultation.factories import open_consultation

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) " + "x" * 400


def _events(action, partnership=None):
    rows = AuditEvent.objects.filter(action=action)
    if partnership is not None:
        rows = rows.filter(partnership=partnership)
    return list(rows.order_by("pk"))


# Sign-in -------------------------------------------------------------------


def test_signing_in_is_recorded_with_the_address_and_a_trimmed_browser(
    client, officer, partnership
):
    response = client.post(
        reverse("login"), {"username": officer.username, "password": factories.PASSWORD},
        REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT=BROWSER,
    )
    assert response.status_code == 302
    (event,) = _events(Action.SIGN_IN)
    assert event.partnership == partnership
    assert event.actor == officer and officer.username in event.actor_label
    assert event.ip_address == "203.0.113.9"
    assert event.user_agent == BROWSER[:200]
    assert event.created_at <= timezone.now()


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_saw(client, officer):
    client.post(
        reverse("login"), {"username": officer.username, "password": factories.PASSWORD},
        REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 198.51.100.77",
    )
    (event,) = _events(Action.SIGN_IN)
    assert event.ip_address == "198.51.100.77"


def test_a_wrong_password_is_recorded_for_the_persons_partnership(client, officer, partnership):
    client.post(reverse("login"), {"username": officer.username.upper(), "password": "nope"},
                REMOTE_ADDR="203.0.113.10")
    (event,) = _events(Action.SIGN_IN_FAILED)
    assert event.partnership == partnership and event.actor is None
    assert event.ip_address == "203.0.113.10"
    assert officer.username.upper() in event.summary


def test_a_wrong_password_for_nobody_is_recorded_about_no_partnership(client):
    client.post(reverse("login"), {"username": "nobody\x1bhere", "password": "nope"})
    (event,) = _events(Action.SIGN_IN_FAILED)
    assert event.partnership is None
    assert "\x1b" not in event.summary


def test_someone_in_two_partnerships_signing_in_shows_in_both_audits(
    client, officer, partnership, other_partnership
):
    factories.BoardMembershipFactory(
        board=factories.BoardFactory(partnership=other_partnership), user=officer
    )
    client.post(reverse("login"), {"username": officer.username,
                                   "password": factories.PASSWORD})
    assert {e.partnership for e in _events(Action.SIGN_IN)} == {partnership, other_partnership}


def test_signing_out_is_recorded(officer, partnership):
    client = client_for(officer)
    client.post(reverse("logout"))
    (event,) = _events(Action.SIGN_OUT)
    assert event.partnership == partnership and event.actor == officer


# Role changes, transitions, decisions, publication -------------------------


def test_a_role_change_is_recorded_with_who_made_it(partnership, administrator):
    person = factories.MembershipFactory(partnership=partnership).user
    membership_set(partnership=partnership, user=person, role=Membership.Role.PARTNER,
                   by=administrator)
    (event,) = _events(Action.ROLE_CHANGE, partnership)
    assert event.actor == administrator
    assert "Partnership officer to Partner officer" in event.summary


def test_a_role_change_made_on_the_people_page_records_the_address(partnership, administrator):
    person = factories.MembershipFactory(partnership=partnership).user
    client = client_for(administrator)
    client.post(reverse("partnerships:person", args=[partnership.slug, person.pk]),
                {"role": Membership.Role.PARTNER,
                 "organisation": person.memberships.get().organisation_id},
                REMOTE_ADDR="192.0.2.44", HTTP_USER_AGENT="Officer browser")
    (event,) = _events(Action.ROLE_CHANGE, partnership)
    assert (event.ip_address, event.user_agent, event.actor) == (
        "192.0.2.44", "Officer browser", administrator
    )


def test_transitions_decisions_and_publication_are_recorded(partnership, officer):
    strategy = factories.StrategyFactory(partnership=partnership)
    factories.PriorityFactory(strategy=strategy)
    S = Strategy.Status
    factories.move_through(strategy, [S.DRAFTING, S.SIGN_OFF, S.ADOPTED, S.PUBLISHED],
                           by=officer)
    transitions = _events(Action.TRANSITION, partnership)
    assert [e.detail["to"] for e in transitions] == ["drafting", "sign_off", "adopted",
                                                     "published"]
    assert all(e.actor == officer for e in transitions)
    (decision,) = _events(Action.DECISION, partnership)
    assert "Approved" in decision.summary and decision.detail["content_hash"]
    (publication,) = _events(Action.PUBLICATION, partnership)
    assert strategy.title in publication.summary and publication.detail["version"] >= 1


def test_a_refused_transition_leaves_no_record(partnership):
    strategy = factories.StrategyFactory(partnership=partnership)
    with pytest.raises(Exception):  # noqa: B017 - the service refuses with ValidationError
        strategy_transition(strategy=strategy, to_status=Strategy.Status.PUBLISHED)
    assert not _events(Action.TRANSITION)


def test_a_consultation_opening_closing_and_feedback_are_recorded(partnership, officer):
    consultation = open_consultation(partnership)
    consultation_services.consultation_close_now(consultation=consultation, by=officer)
    consultation.refresh_from_db()
    theme = consultation_services.theme_create(consultation=consultation, name="Lighting")
    consultation_services.theme_update(theme=theme, name="Lighting", you_said="Darker paths",
                                       we_did="Added lighting", why_not="Already planned")
    consultation_services.consultation_publish_feedback(consultation=consultation, by=officer)
    moves = [(e.detail["from"], e.detail["to"]) for e in _events(Action.TRANSITION, partnership)]
    assert moves == [("draft", "scheduled"), ("scheduled", "open"), ("open", "closed"),
                     ("closed", "feedback")]
    (closing,) = [e for e in _events(Action.TRANSITION, partnership) if e.detail["to"] == "closed"]
    assert closing.actor == officer
    (publication,) = _events(Action.PUBLICATION, partnership)
    assert publication.actor == officer and "you said, we did" in publication.summary


# Exports and equality data --------------------------------------------------


@pytest.mark.parametrize("name, equality", [
    ("export_csv", False), ("export_xlsx", False),
    ("export_equality_csv", True), ("export_equality_xlsx", True),
])
def test_every_export_is_recorded_and_equality_files_count_as_a_view_of_equality_data(
    name, equality, partnership, officer, other_partnership
):
    consultation = open_consultation(partnership)
    response = client_for(officer).get(
        reverse(f"consultation:{name}", args=[consultation.slug]), REMOTE_ADDR="192.0.2.5"
    )
    assert response.status_code == 200
    (export,) = _events(Action.EXPORT, partnership)
    assert export.actor == officer and export.ip_address == "192.0.2.5"
    assert consultation.title in export.summary
    assert len(_events(Action.EQUALITY_VIEW, partnership)) == (1 if equality else 0)
    assert not AuditEvent.objects.filter(partnership=other_partnership).exclude(
        action=Action.SIGN_IN).exists()


def test_a_refused_export_records_nothing(partnership, partner_officer):
    consultation = open_consultation(partnership)
    client = client_for(partner_officer)
    assert client.get(reverse("consultation:export_csv", args=[consultation.slug])
                      ).status_code == 403
    assert not _events(Action.EXPORT)


def test_opening_equality_totals_and_filtering_by_an_equality_group_are_recorded(
    partnership, officer
):
    consultation = open_consultation(partnership)
    client = client_for(officer)
    client.get(reverse("consultation:analysis", args=[consultation.slug]))
    client.get(reverse("consultation:free_text", args=[consultation.slug]))
    client.get(reverse("consultation:free_text", args=[consultation.slug]),
               {"group": "sex:female"})
    pages = [e.detail["page"] for e in _events(Action.EQUALITY_VIEW, partnership)]
    assert pages == ["analysis", "free_text"]


# Immutability ---------------------------------------------------------------


def test_an_audit_record_cannot_be_changed_or_deleted(partnership):
    event = services.audit_record(action=Action.DECISION, summary="Approved",
                                  partnership=partnership)
    event.summary = "Rejected"
    with pytest.raises(AuditImmutable):
        event.save()
    with pytest.raises(AuditImmutable):
        event.delete()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(summary="Rejected")
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.summary == "Approved"


def test_the_admin_shows_audit_records_read_only(partnership, superuser, rf):
    event = services.audit_record(action=Action.DECISION, summary="Approved",
                                  partnership=partnership)
    model_admin = AuditEventAdmin(AuditEvent, admin.site)
    request = rf.get("/")
    request.user = superuser
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert model_admin.get_actions(request) == {}
    client = client_for(superuser)
    url = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"summary": "Rejected"})
    client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"})
    event.refresh_from_db()
    assert event.summary == "Approved"


def test_the_product_offers_no_way_to_change_an_audit_record(partnership, administrator):
    from tests.urlwalk import url_names

    assert [n for n in url_names() if n.startswith("audit:")] == ["audit:log"]
    url = reverse("audit:log", args=[partnership.slug])
    assert client_for(administrator).post(url).status_code == 405


def test_removing_a_person_keeps_their_records_with_their_name(partnership):
    person = factories.MembershipFactory(partnership=partnership).user
    services.audit_record(action=Action.EXPORT, summary="Downloaded", actor=person,
                          partnership=partnership)
    label = services.actor_label(person)
    person.delete()
    (event,) = _events(Action.EXPORT)
    assert event.actor is None and event.actor_label == label


# Retention -------------------------------------------------------------------


@override_settings(AUDIT_RETENTION_DAYS=30)
def test_records_older_than_the_retention_period_are_purged_and_the_purge_recorded(partnership):
    now = timezone.now()
    old = services.audit_record(action=Action.EXPORT, summary="Old", partnership=partnership,
                                at=now - dt.timedelta(days=31))
    kept = services.audit_record(action=Action.EXPORT, summary="Recent",
                                 partnership=partnership, at=now - dt.timedelta(days=29))
    assert tasks.audit_purge() == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    (purge,) = _events(Action.AUDIT_PURGE)
    assert purge.detail["deleted"] == 1 and purge.partnership is None
    assert tasks.audit_purge() == 0


def test_the_purge_is_scheduled_nightly_with_time_limits():
    from safermk.schedules import PERIODIC

    (entry,) = [p for p in PERIODIC if p.task == "audit.tasks.audit_purge"]
    assert entry.hour == "3"
    assert tasks.audit_purge.soft_time_limit < tasks.audit_purge.time_limit


@pytest.mark.parametrize("name", ["AUDIT_RETENTION_DAYS", "RIGHTS_REQUEST_RETENTION_DAYS"])
def test_a_retention_period_below_one_day_refuses_to_start(name):
    from tests.safermk.test_settings import PRODUCTION, _manage

    result = _manage("check", env={**PRODUCTION, name: "0"})
    assert result.returncode != 0
    assert f"{name} must be 1 or more" in result.stderr


def _partnership_form(partnership, memberships):
    data = {
        "name": partnership.name, "slug": partnership.slug, "area": partnership.area,
        "aim": partnership.aim, "short_code": partnership.short_code,
        "plan_body": partnership.plan_body, "colour": partnership.colour,
        "organisations-TOTAL_FORMS": "0", "organisations-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(sum(1 for m in memberships if m.get("id"))),
    }
    for n, row in enumerate(memberships):
        data |= {f"memberships-{n}-{k}": v for k, v in row.items()}
        data[f"memberships-{n}-partnership"] = partnership.pk
    return data


def test_role_changes_made_in_the_django_admin_are_recorded(partnership, superuser):
    from partnerships.models import RoleChange

    kept = factories.MembershipFactory(partnership=partnership)
    leaving = factories.MembershipFactory(partnership=partnership)
    newcomer = factories.UserFactory()
    client = client_for(superuser)
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    response = client.post(url, _partnership_form(partnership, [
        {"id": kept.pk, "user": kept.user_id, "organisation": kept.organisation_id,
         "role": "administrator"},
        {"id": leaving.pk, "user": leaving.user_id, "organisation": leaving.organisation_id,
         "role": "officer", "DELETE": "on"},
        {"user": newcomer.pk, "role": "partner"},
    ]), REMOTE_ADDR="192.0.2.80")
    assert response.status_code == 302, response.content.decode()[:2000]
    changes = {(c.action, c.user_id, c.old_role, c.new_role)
               for c in RoleChange.objects.filter(partnership=partnership)}
    assert changes == {
        ("changed", kept.user_id, "Partnership officer", "Partnership administrator"),
        ("removed", leaving.user_id, "Partnership officer", ""),
        ("granted", newcomer.pk, "", "Partner officer"),
    }
    events = _events(Action.ROLE_CHANGE, partnership)
    assert len(events) == 3
    assert all(e.actor == superuser and e.ip_address == "192.0.2.80" for e in events)


def test_making_someone_a_superuser_in_the_admin_is_recorded(partnership, superuser):
    person = factories.MembershipFactory(partnership=partnership).user
    joined = timezone.localtime(person.date_joined)
    response = client_for(superuser).post(
        reverse("admin:auth_user_change", args=[person.pk]),
        {"username": person.username, "first_name": person.first_name,
         "last_name": person.last_name, "email": person.email, "is_active": "on",
         "is_staff": "on", "is_superuser": "on",
         "date_joined_0": joined.strftime("%Y-%m-%d"), "date_joined_1": joined.strftime("%H:%M:%S"),
         "initial-date_joined_0": joined.strftime("%Y-%m-%d"),
         "initial-date_joined_1": joined.strftime("%H:%M:%S")},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    (event,) = _events(Action.ROLE_CHANGE, partnership)
    assert event.actor == superuser
    assert "superuser: yes" in event.summary and "staff (admin access): yes" in event.summary
