"""An administrator invites a person by e-mail; the one-time link lets them
set a password and lands them, signed in, on their dashboard. A used,
expired, revoked or wrong link says what to do."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Invitation, Membership, Organisation, RoleChange
from partnerships.services import invitation_create
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _signs_in(username: str, password: str) -> bool:
    """Through the real sign-in page, as a person would (the lock-out backend
    needs the request that Client.login does not give it)."""
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302

NEW_PASSWORD = "a long walk by the river"


def invite(client, partnership, django_capture_on_commit_callbacks, **changes):
    organisation, _ = Organisation.objects.get_or_create(
        partnership=partnership, name="Bedtown Council", defaults={"kind": "council"}
    )
    data = {"email": "sam.new@example.org", "first_name": "Sam", "last_name": "New",
            "role": "officer", "organisation": organisation.pk, "job_title": "Analyst"} | changes
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partnerships:invite", args=[partnership.slug]), data)
    return response


def link_in(message) -> str:
    return re.search(r"http://testserver(/account/invitation/[^/\s]+/)", message.body).group(1)


def test_an_invited_person_sets_a_password_and_arrives_signed_in_on_their_dashboard(
    partnership, administrator, django_capture_on_commit_callbacks, settings
):
    settings.SAFERMK_BRAND_NAME = "Community Safety Planner"
    sent = invite(client_for(administrator), partnership, django_capture_on_commit_callbacks)
    assert sent.status_code == 302
    [message] = mail.outbox
    assert message.to == ["sam.new@example.org"]
    assert partnership.name in message.subject and "Community Safety Planner" in message.subject
    assert partnership.name in message.body and "partnership officer" in message.body
    assert not get_user_model().objects.filter(email="sam.new@example.org").exists()

    visitor = Client()
    link = link_in(message)
    page = visitor.get(link)
    assert page.status_code == 200
    assert "<h1 class=\"govuk-heading-l\">Set your password</h1>" in page.content.decode()
    weak = visitor.post(link, {"new_password1": "password", "new_password2": "password"})
    assert weak.status_code == 200 and "This password is too common" in weak.content.decode()
    done = visitor.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("dashboard:home")
    dashboard = visitor.get(done["Location"])
    assert dashboard.status_code == 200
    assert dashboard.context["user"].email == "sam.new@example.org"

    user = get_user_model().objects.get(email="sam.new@example.org")
    assert user.check_password(NEW_PASSWORD) and user.is_active
    membership = Membership.objects.get(user=user, partnership=partnership)
    assert (membership.role, membership.organisation.name, membership.job_title) == (
        "officer", "Bedtown Council", "Analyst"
    )
    assert _signs_in(user.username, NEW_PASSWORD)
    actions = list(RoleChange.objects.filter(partnership=partnership)
                   .values_list("action", "changed_by", flat=False).order_by("pk"))
    assert actions == [("invited", administrator.pk), ("granted", administrator.pk)]


def test_the_link_works_once(partnership, administrator, django_capture_on_commit_callbacks):
    invite(client_for(administrator), partnership, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert Client().post(link, data).status_code == 302
    again = Client().post(link, {"new_password1": "another long password",
                                 "new_password2": "another long password"})
    assert again.status_code == 410
    page = again.content.decode()
    assert "already been used" in page and "ask your partnership administrator" in page.lower()
    user = get_user_model().objects.get(email="sam.new@example.org")
    assert user.check_password(NEW_PASSWORD)


def test_an_expired_link_says_so_and_grants_nothing(
    partnership, administrator, django_capture_on_commit_callbacks
):
    invite(client_for(administrator), partnership, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = Client().post(link, {"new_password1": NEW_PASSWORD,
                                    "new_password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    assert not get_user_model().objects.filter(email="sam.new@example.org").exists()


def test_an_invitation_expires_after_the_configured_days(
    partnership, administrator, django_capture_on_commit_callbacks, settings
):
    settings.SAFERMK_INVITATION_DAYS = 3
    invite(client_for(administrator), partnership, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.sent_at == dt.timedelta(days=3)


def test_a_revoked_invitation_cannot_be_used(
    partnership, administrator, django_capture_on_commit_callbacks
):
    client = client_for(administrator)
    invite(client, partnership, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    client.post(reverse("partnerships:invitation_revoke",
                        args=[partnership.slug, invitation.pk]))
    response = Client().get(link_in(mail.outbox[0]))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert RoleChange.objects.filter(action="invitation_revoked").exists()


def test_resending_sends_a_new_link_and_the_old_one_stops_working(
    partnership, administrator, django_capture_on_commit_callbacks
):
    client = client_for(administrator)
    invite(client, partnership, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partnerships:invitation_resend",
                            args=[partnership.slug, invitation.pk]))
    old, new = link_in(mail.outbox[0]), link_in(mail.outbox[1])
    assert old != new
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_a_wrong_link_gets_a_page_that_says_what_to_do(db):
    response = Client().get(reverse("partnerships:invitation", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "ask your partnership administrator for a new invitation" in (
        response.content.decode().lower()
    )


def test_only_a_hash_of_the_token_is_stored(partnership):
    invitation = invitation_create(partnership=partnership, email="a@example.org",
                                   role="officer", site_url="http://testserver")
    stored = Invitation.objects.get(pk=invitation.pk)
    assert invitation.token not in stored.token_hash and len(stored.token_hash) == 64


def test_inviting_someone_with_an_account_links_that_account(
    partnership, other_partnership, administrator, django_capture_on_commit_callbacks
):
    existing = factories.MembershipFactory(partnership=other_partnership).user
    invite(client_for(administrator), partnership, django_capture_on_commit_callbacks,
           email=existing.email.upper(), role="partner")
    visitor = Client()
    link = link_in(mail.outbox[0])
    page = visitor.get(link)
    assert "Accept your invitation" in page.content.decode()
    accepted = visitor.post(link)
    assert accepted["Location"] == reverse("login")
    assert set(existing.memberships.values_list("partnership_id", "role")) == {
        (other_partnership.pk, "officer"), (partnership.pk, "partner")
    }
    assert get_user_model().objects.filter(email__iexact=existing.email).count() == 1


def test_someone_with_a_role_already_or_a_waiting_invitation_is_not_invited_twice(
    partnership, administrator, officer, django_capture_on_commit_callbacks
):
    client = client_for(administrator)
    refused = invite(client, partnership, django_capture_on_commit_callbacks,
                     email=officer.email)
    assert refused.status_code == 200
    assert "already has a role in this partnership" in refused.content.decode()
    invite(client, partnership, django_capture_on_commit_callbacks, email="x@example.org")
    again = client.post(reverse("partnerships:invite", args=[partnership.slug]), {
        "email": "X@example.org", "first_name": "X", "last_name": "Y", "role": "officer",
    })
    assert "already has an invitation waiting" in again.content.decode()
    assert Invitation.objects.count() == 1


def test_a_partner_officer_must_be_invited_for_an_organisation(partnership, administrator):
    response = client_for(administrator).post(
        reverse("partnerships:invite", args=[partnership.slug]),
        {"email": "p@example.org", "first_name": "P", "last_name": "Q", "role": "partner"},
    )
    assert "Choose the organisation a partner officer works for" in response.content.decode()
    assert not Invitation.objects.exists()
