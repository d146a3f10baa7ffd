"""Each partnership's pages and e-mails wear its own name and colour; pages
about no partnership wear the installation's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client

from reminders import emails
from reminders.kinds import Kind
from reminders.models import SentReminder
from tests import factories
from tests.strategy.factories import publish

pytestmark = pytest.mark.django_db


def _header(html: str) -> str:
    start = html.index("smk-header__brand")
    return html[html.index(">", start) + 1 : html.index("<", start)]


def test_a_partnership_public_strategy_page_wears_that_partnership_brand():
    mine = factories.PartnershipFactory(name="Safer Borough Partnership", colour="#5b2a86")
    other = factories.PartnershipFactory(name="Other Town Partnership")
    strategy = publish(factories.StrategyFactory(partnership=mine))
    publish(factories.StrategyFactory(partnership=other))

    html = Client().get(strategy.get_public_url()).content.decode()

    assert _header(html) == "Safer Borough Partnership"
    assert "– Safer Borough Partnership</title>" in html
    assert "--smk-brand: #5b2a86;" in html
    assert "Other Town" not in html
    assert "SaferMK" not in html


def test_pages_about_no_partnership_wear_the_installation_brand(settings):
    settings.SAFERMK_BRAND_NAME = "Strategies for Anyshire"
    factories.PartnershipFactory(name="Safer Borough Partnership")

    html = Client().get("/").content.decode()

    assert _header(html) == "Strategies for Anyshire"
    assert "--smk-brand:" not in html.split("</head>")[0].split("safermk.css")[1]


def test_a_colour_that_is_not_a_hex_colour_never_reaches_the_style_element():
    partnership = factories.PartnershipFactory()
    type(partnership).objects.filter(pk=partnership.pk).update(colour="red;}a{")
    strategy = publish(factories.StrategyFactory(partnership=partnership))

    html = Client().get(strategy.get_public_url()).content.decode()

    assert "red;}" not in html
    assert "--smk-brand: #1d5c63;" in html


def _reminder(partnership, user, title):
    return SentReminder.objects.create(
        recipient=user,
        subject_type_id=_content_type_id(partnership),
        subject_id=partnership.pk,
        kind=Kind.values[0],
        threshold=title,
        partnership=partnership,
        title=title,
        body="",
        claimed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )


def _content_type_id(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def test_a_reminder_comes_from_its_partnership_and_a_mixed_digest_from_the_installation(
    settings,
):
    settings.SAFERMK_BRAND_NAME = "Strategies for Anyshire"
    borough = factories.PartnershipFactory(name="Safer Borough Partnership")
    town = factories.PartnershipFactory(name="Other Town Partnership")
    user = factories.UserFactory(email="someone@example.org")

    emails.send_reminder(_reminder(borough, user, "Milestone late: Plan agreed"), user)
    emails.send_digest(
        [_reminder(borough, user, "One"), _reminder(borough, user, "Two")], user
    )
    emails.send_digest([_reminder(borough, user, "A"), _reminder(town, user, "B")], user)

    assert [m.subject for m in mail.outbox] == [
        "[Safer Borough Partnership] Milestone late: Plan agreed",
        "[Safer Borough Partnership] 2 reminders for today",
        "[Strategies for Anyshire] 2 reminders for today",
    ]


# Pages about no one partnership (lists across partnerships, a person's own
# settings, the installation's statements and sign-in): the installation's brand.
ABOUT_NO_PARTNERSHIP = {
    "home", "accessibility", "privacy", "login", "password_reset", "password_reset_done",
    "password_reset_confirm", "password_reset_complete", "dashboard:home",
    "reminders:preferences", "strategy:list", "strategy:public_list", "strategy:assessment_list",
    "consultation:list", "consultation:manage_list", "consultation:create",
    "consultation:record_past", "consultation:your_response", "consultation:your_response_sent",
    "milestones:calendar", "milestones:reviews", "milestones:decisions",
    "subscriptions:sent",
}


def test_every_page_about_one_partnership_wears_its_name_for_its_officer(demo):
    from django.contrib.auth import get_user_model

    from tests.urlwalk import all_urls

    client = Client()
    client.force_login(get_user_model().objects.get(username="officer"))
    wrong, checked = [], 0
    for name, url in all_urls(demo):
        if name == "logout" or name in ABOUT_NO_PARTNERSHIP:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        checked += 1
        if _header(response.content.decode()) != demo.name:
            wrong.append(f"{name} {url}: {_header(response.content.decode())}")
    assert not wrong, "\n".join(wrong)
    assert checked > 60
