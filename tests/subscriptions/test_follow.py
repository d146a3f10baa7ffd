"""A resident follows a partnership's new consultations, or one
consultation's results, by e-mail without an account: double opt-in,
one-click unsubscribe, each e-mail sent once by the worker, and addresses
deleted when no longer needed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail, signing
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from consultation.models import Consultation
from subscriptions import services, tasks
from subscriptions.models import Notification, Subscription
from tests import factories
from tests.consultation.factories import open_consultation
from tests.subscriptions.helpers import (
    confirm_path,
    confirmed,
    follow,
    link_in,
    publish_results,
    unsubscribe_path,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _send_on_commit(on_commit_at_once):
    pass


def _follow_url(partnership):
    return reverse("subscriptions:follow_partnership", args=[partnership.slug])


def _h1(html: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


# Asking --------------------------------------------------------------------------


def test_the_form_is_public_names_the_partnership_and_has_one_heading(client, partnership):
    response = client.get(_follow_url(partnership))
    html = response.content.decode()
    assert response.status_code == 200
    assert partnership.name in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert "<title>Get new consultations by e-mail" in html


def test_asking_sends_only_a_confirmation_with_signed_links_and_unsubscribe_headers(
    client, partnership
):
    response = follow(client, _follow_url(partnership), "  Resident@Example.ORG ")
    assert response.status_code == 302
    assert response["Location"] == reverse("subscriptions:sent")
    (subscription,) = Subscription.objects.all()
    assert subscription.email == "resident@example.org"
    assert subscription.confirmed_at is None and subscription.confirmation_sent_at
    (message,) = mail.outbox
    assert message.to == ["resident@example.org"]
    assert message.subject.startswith(f"[{partnership.name}] Confirm")
    assert "/follow/confirm/" in message.body and "/follow/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_nothing_but_the_confirmation_is_sent_before_confirming(client, partnership):
    follow(client, _follow_url(partnership))
    open_consultation(partnership)  # opens: followers would hear of it
    assert len(mail.outbox) == 1
    assert not Notification.objects.exists()


@pytest.mark.parametrize("email, message", [
    ("", "Enter your e-mail address"),
    ("not-an-address", "Enter an e-mail address like name@example.org"),
    ("a@" + "b" * 250 + ".org", "Enter an e-mail address of 254 characters or fewer"),
    ("nul\x00@example.org", "Enter an e-mail address like name@example.org"),
])
def test_each_mistake_is_named_next_to_the_field(client, partnership, email, message):
    response = follow(client, _follow_url(partnership), email)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert 'class="govuk-error-summary"' in html
    assert message in html and "govuk-error-message" in html
    assert not Subscription.objects.exists() and not mail.outbox


def test_a_filled_honeypot_is_refused(client, partnership):
    response = client.post(_follow_url(partnership), {"email": "a@example.org",
                                                      "website": "spam"})
    assert response.status_code == 400
    assert not Subscription.objects.exists()


@override_settings(SUBSCRIBE_RATE="2/h")
def test_asking_is_rate_limited_per_address(client, partnership):
    for n in range(2):
        assert follow(client, _follow_url(partnership), f"r{n}@example.org").status_code == 302
    response = follow(client, _follow_url(partnership), "r3@example.org")
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert Subscription.objects.count() == 2 and len(mail.outbox) == 2


def test_asking_again_makes_no_second_row_and_resends_only_after_an_hour(client, partnership):
    follow(client, _follow_url(partnership))
    follow(client, _follow_url(partnership), "RESIDENT@example.org")
    assert Subscription.objects.count() == 1 and len(mail.outbox) == 1
    later = timezone.now() + services.CONFIRMATION_RESEND_AFTER + dt.timedelta(minutes=1)
    services.subscription_request(email="resident@example.org", partnership=partnership,
                                  now=later)
    assert Subscription.objects.count() == 1 and len(mail.outbox) == 2


def test_the_page_after_asking_says_the_same_whether_or_not_the_address_follows(
    client, partnership
):
    confirmed("known@example.org", partnership=partnership)
    first = follow(client, _follow_url(partnership), "known@example.org")
    second = follow(client, _follow_url(partnership), "new@example.org")
    assert first["Location"] == second["Location"]
    assert client.get(first["Location"]).status_code == 200


def test_an_unknown_partnership_or_unlisted_consultation_is_not_found(client, partnership):
    assert client.get("/partnerships/no-such/follow/").status_code == 404
    draft = open_consultation(partnership)
    Consultation.objects.filter(pk=draft.pk).update(status=Consultation.Status.DRAFT)
    assert client.get(
        reverse("subscriptions:follow_consultation", args=[draft.slug])
    ).status_code == 404


# Confirming ------------------------------------------------------------------------


def test_opening_the_link_shows_a_button_and_changes_nothing_until_it_is_pressed(
    client, partnership
):
    follow(client, _follow_url(partnership))
    path = link_in(mail.outbox[0], "/follow/confirm/")
    response = client.get(path)
    assert response.status_code == 200
    assert _h1(response.content.decode()) == "Confirm your e-mails"
    assert Subscription.objects.get().confirmed_at is None
    response = client.post(path)
    assert _h1(response.content.decode()) == "You are subscribed"
    assert Subscription.objects.get().confirmed_at is not None


def test_a_confirmation_link_used_again_says_so_and_changes_nothing(client, partnership):
    follow(client, _follow_url(partnership))
    path = link_in(mail.outbox[0], "/follow/confirm/")
    client.post(path)
    first = Subscription.objects.get().confirmed_at
    response = client.post(path)
    assert response.status_code == 200
    assert "Already confirmed" in response.content.decode()
    assert Subscription.objects.get().confirmed_at == first
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("change", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
    lambda t: t + "x",
    lambda t: "not-a-token",
    lambda t: "x" * 5000,
    lambda t: t.replace(":", "%00", 1),
])
def test_a_tampered_link_gets_a_clear_page_and_changes_nothing(client, partnership, change):
    follow(client, _follow_url(partnership))
    path = link_in(mail.outbox[0], "/follow/confirm/")
    token = path.rstrip("/").rsplit("/", 1)[1]
    for method in (client.get, client.post):
        response = method(f"/follow/confirm/{change(token)}/")
        assert response.status_code in (400, 404)
        if response.status_code == 400:
            assert "This link does not work" in response.content.decode()
        response = method(f"/follow/unsubscribe/{change(token)}/")
        assert response.status_code in (400, 404)
    assert Subscription.objects.get().confirmed_at is None


def test_a_confirmation_link_cannot_unsubscribe_and_an_unsubscribe_link_cannot_confirm(
    client, partnership
):
    follow(client, _follow_url(partnership))
    subscription = Subscription.objects.get()
    confirm_token = confirm_path(subscription).rstrip("/").rsplit("/", 1)[1]
    response = client.post(f"/follow/unsubscribe/{confirm_token}/")
    assert response.status_code == 400
    unsubscribe_token = unsubscribe_path(subscription).rstrip("/").rsplit("/", 1)[1]
    assert client.post(f"/follow/confirm/{unsubscribe_token}/").status_code == 400
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_an_expired_confirmation_link_says_so_and_changes_nothing(
    client, partnership, settings, monkeypatch
):
    follow(client, _follow_url(partnership))
    path = link_in(mail.outbox[0], "/follow/confirm/")
    later = timezone.now().timestamp() + settings.SUBSCRIPTION_UNCONFIRMED_DAYS * 86400 + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.post(path)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_a_link_for_a_deleted_subscription_says_it_is_not_subscribed(client, partnership):
    follow(client, _follow_url(partnership))
    path = link_in(mail.outbox[0], "/follow/confirm/")
    Subscription.objects.all().delete()
    response = client.post(path)
    assert response.status_code == 410
    assert "You are not subscribed" in response.content.decode()
    assert not Subscription.objects.exists()


# Unsubscribing -----------------------------------------------------------------------


def test_unsubscribing_deletes_the_address_and_a_replay_changes_nothing(partnership):
    subscription = confirmed("resident@example.org", partnership=partnership)
    client = Client()
    path = unsubscribe_path(subscription)
    response = client.get(path)
    assert _h1(response.content.decode()) == "Stop these e-mails"
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    response = client.post(path)
    assert _h1(response.content.decode()) == "You are unsubscribed"
    assert not Subscription.objects.exists()
    again = client.post(path)
    assert again.status_code == 410
    assert "You are not subscribed" in again.content.decode()


def test_a_mail_programs_one_click_post_unsubscribes_without_a_csrf_token(partnership):
    subscription = confirmed("resident@example.org", partnership=partnership)
    client = Client(enforce_csrf_checks=True)
    response = client.post(unsubscribe_path(subscription),
                           data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_the_link_in_the_confirmation_email_deletes_an_unconfirmed_address(client, partnership):
    follow(client, _follow_url(partnership))
    client.post(link_in(mail.outbox[0], "/follow/unsubscribe/"))
    assert not Subscription.objects.exists()


def test_confirming_needs_the_csrf_token_of_the_page(partnership):
    follow(Client(), _follow_url(partnership))
    path = link_in(mail.outbox[0], "/follow/confirm/")
    assert Client(enforce_csrf_checks=True).post(path).status_code == 403
    assert Subscription.objects.get().confirmed_at is None


# Events --------------------------------------------------------------------------------


def test_a_partnership_follower_hears_once_of_a_new_consultation_and_never_of_anothers(
    partnership, other_partnership
):
    mine = confirmed("mine@example.org", partnership=partnership)
    confirmed("theirs@example.org", partnership=other_partnership)
    mail.outbox.clear()
    consultation = open_consultation(partnership, title="Safer streets")
    (message,) = mail.outbox
    assert message.to == ["mine@example.org"]
    assert message.subject == f"[{partnership.name}] New consultation: Safer streets"
    assert consultation.get_absolute_url() in message.body
    assert "List-Unsubscribe" in message.extra_headers
    # The task run again, and the sweep, send nothing more.
    assert tasks.event_announce(consultation.pk, Notification.Event.OPENED) == 0
    later = timezone.now() + dt.timedelta(hours=1)
    assert services.subscriptions_sweep(now=later) == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.get().sent_at is not None
    # Its unsubscribe link is this follower's own.
    assert Client().post(link_in(message, "/follow/unsubscribe/")).status_code == 200
    assert not Subscription.objects.filter(pk=mine.pk).exists()


def test_a_follower_confirmed_after_a_consultation_opened_does_not_hear_of_it(partnership):
    consultation = open_consultation(partnership)
    confirmed("late@example.org", partnership=partnership)
    Consultation.objects.filter(pk=consultation.pk).update(
        opened_at=timezone.now() - dt.timedelta(days=1)
    )
    mail.outbox.clear()
    services.subscriptions_sweep(now=timezone.now() + dt.timedelta(hours=1))
    assert tasks.event_announce(consultation.pk, Notification.Event.OPENED) == 0
    assert not mail.outbox


def test_results_followers_get_one_results_email_and_partnership_followers_none(
    partnership
):
    consultation = open_consultation(partnership, title="Safer streets")
    # Opened the day before: the partnership's new follower is not told of it.
    Consultation.objects.filter(pk=consultation.pk).update(
        opened_at=timezone.now() - dt.timedelta(days=1)
    )
    confirmed("results@example.org", consultation=consultation)
    confirmed("news@example.org", partnership=partnership)
    mail.outbox.clear()
    publish_results(consultation)
    (message,) = mail.outbox
    assert message.to == ["results@example.org"]
    assert message.subject == f"[{partnership.name}] Results published: Safer streets"
    assert reverse("consultation:results", args=[consultation.slug]) in message.body
    assert "Lighting" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    services.subscriptions_sweep(now=timezone.now() + dt.timedelta(hours=1))
    assert tasks.event_announce(consultation.pk, Notification.Event.RESULTS) == 0
    assert len(mail.outbox) == 1


def test_confirming_after_the_results_came_out_sends_them_once(partnership):
    consultation = open_consultation(partnership)
    publish_results(consultation)
    mail.outbox.clear()
    confirmed("late@example.org", consultation=consultation)
    subjects = [m.subject for m in mail.outbox]
    assert sum("Results published" in s for s in subjects) == 1


def test_a_historical_record_is_never_announced(partnership):
    from consultation import services as consultation_services

    confirmed("news@example.org", partnership=partnership)
    mail.outbox.clear()
    today = timezone.localdate()
    consultation_services.consultation_record_past(
        strategy=factories.StrategyFactory(partnership=partnership), title="Paper survey",
        slug="paper-survey", summary="Done on paper.", findings="People said things.",
        opens_on=today - dt.timedelta(days=3), closes_on=today - dt.timedelta(days=1),
        responses={"paper": 10},
    )
    services.subscriptions_sweep(now=timezone.now() + dt.timedelta(hours=1))
    assert not mail.outbox and not Notification.objects.exists()


# Faults --------------------------------------------------------------------------------


def test_with_the_broker_down_the_sweep_sends_each_email_once(partnership, monkeypatch):
    follower = confirmed("mine@example.org", partnership=partnership)

    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.event_announce, "delay", refuse)
    monkeypatch.setattr(tasks.subscription_send_confirmation, "delay", refuse)
    mail.outbox.clear()
    consultation = open_consultation(partnership)
    assert consultation.status == "open"  # the opening itself never waits for the broker
    follow(Client(), _follow_url(partnership), "second@example.org")
    assert not mail.outbox and not Notification.objects.exists()
    # Within the grace period the sweep leaves it to the worker.
    assert services.subscriptions_sweep() == 0
    later = timezone.now() + services.SWEEP_GRACE + dt.timedelta(minutes=1)
    assert services.subscriptions_sweep(now=later) == 2  # the confirmation and the news
    assert services.subscriptions_sweep(now=later) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["mine@example.org", "second@example.org"]
    assert Notification.objects.get().subscription == follower


def test_a_worker_that_died_between_claim_and_send_is_covered_by_the_sweep(partnership):
    confirmed("mine@example.org", partnership=partnership)
    mail.outbox.clear()
    consultation = open_consultation(partnership)
    mail.outbox.clear()
    # As if the worker had claimed it and died: claimed, never sent.
    Notification.objects.update(sent_at=None, claimed_at=timezone.now())
    assert services.subscriptions_sweep(now=timezone.now() + dt.timedelta(minutes=10)) == 0
    stale = timezone.now() + services.CLAIM_TIMEOUT + dt.timedelta(minutes=1)
    assert services.subscriptions_sweep(now=stale) == 1
    assert services.subscriptions_sweep(now=stale) == 0
    assert len(mail.outbox) == 1 and consultation.title in mail.outbox[0].body


def test_a_notification_claimed_by_one_send_is_not_sent_by_another(partnership):
    confirmed("mine@example.org", partnership=partnership)
    open_consultation(partnership)
    notification = Notification.objects.get()
    assert services.notification_send(notification_id=notification.pk) is False
    Notification.objects.update(sent_at=None, claimed_at=None)
    mail.outbox.clear()
    assert services.notification_send(notification_id=notification.pk) is True
    assert services.notification_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


# Retention -----------------------------------------------------------------------------


def test_unconfirmed_addresses_are_deleted_after_the_set_days_and_confirmed_ones_kept(
    client, partnership, settings
):
    follow(client, _follow_url(partnership), "never@example.org")
    keep = confirmed("kept@example.org", partnership=partnership)
    now = timezone.now()
    assert services.subscriptions_apply_retention(now=now) == 0
    later = now + dt.timedelta(days=settings.SUBSCRIPTION_UNCONFIRMED_DAYS, minutes=1)
    assert services.subscriptions_apply_retention(now=later) == 1
    assert list(Subscription.objects.all()) == [keep]


def test_a_results_follower_is_deleted_after_the_results_email_has_had_its_time(
    partnership, settings
):
    consultation = open_consultation(partnership)
    confirmed("results@example.org", consultation=consultation)
    publish_results(consultation)
    now = timezone.now()
    assert services.subscriptions_apply_retention(now=now) == 0
    later = now + dt.timedelta(days=settings.SUBSCRIPTION_RESULTS_KEPT_DAYS, minutes=1)
    assert services.subscriptions_apply_retention(now=later) == 1
    assert not Subscription.objects.exists() and not Notification.objects.exists()


def test_the_tasks_are_scheduled_with_time_limits():
    from safermk.schedules import PERIODIC

    names = {p.task for p in PERIODIC}
    assert "subscriptions.tasks.subscriptions_sweep" in names
    assert "subscriptions.tasks.subscriptions_apply_retention" in names
    for task in (tasks.subscriptions_sweep, tasks.subscriptions_apply_retention,
                 tasks.notification_send, tasks.event_announce,
                 tasks.subscription_send_confirmation):
        assert task.soft_time_limit and task.time_limit > task.soft_time_limit


def test_the_consultation_and_its_pending_results_link_to_following_the_results(
    client, partnership
):
    consultation = open_consultation(partnership)
    follow_url = reverse("subscriptions:follow_consultation", args=[consultation.slug])
    assert follow_url in client.get(consultation.get_absolute_url()).content.decode()
    pending = client.get(reverse("consultation:results", args=[consultation.slug]))
    assert follow_url in pending.content.decode()
    page = client.get(follow_url).content.decode()
    assert "<title>Get the results of " in page and partnership.name in page
