"""Every URL pattern of the site, with real arguments, for the access tests.

`all_urls(demo)` lists (name, url) for each pattern outside the admin. Each
URL argument is filled from SAMPLE_ARGS, keyed by the argument's name, so that
the URL points at a real object of the demo partnership and a refusal cannot
be a mere "not found". A new pattern whose argument is not listed here makes
the tests fail until it is added.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Pages anyone may open without signing in.
PUBLIC = {
    "home",
    "partnership_home",
    "healthz",
    "accessibility",
    "privacy",
    "login",
    "logout",
    "password_reset",
    # Answers "0 seconds left" to people not signed in.
    "session_time",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "milestones:approvals",
    # Opened by calendar apps, which cannot sign in: the secret token in the
    # address is the credential.
    "milestones:calendar_feed",
    "strategy:public_list",
    "strategy:public_detail",
    "strategy:public_priority",
    "strategy:public_json",
    "strategy:needs_assessment_public",
    "consultation:list",
    "consultation:detail",
    "consultation:results",
    "consultation:respond",
    "consultation:respond_step",
    "consultation:respond_comments",
    "consultation:respond_about_you",
    "consultation:respond_check",
    "consultation:respond_confirmation",
    "consultation:schools",
    "consultation:schools_privacy",
    "consultation:your_response",
    "consultation:your_response_sent",
    "documents:public_strategy_pdf",
    "partnerships:logo_file",
    # Documents beside the draft of a consultation that is not a draft.
    "consultation:document_file",
    # The one-time token in the address is the credential.
    "partnerships:invitation",
    "accessibility:statement",
    "accessibility:format_request",
    "accessibility:format_request_sent",
    # Save and come back later: the signed link in the address is the credential.
    "consultation:respond_saved",
    "consultation:respond_continue",
    # Following consultations by e-mail, and the feeds; the signed links in
    # the e-mails are the credential.
    "subscriptions:all_feed",
    "subscriptions:partnership_feed",
    "subscriptions:follow_partnership",
    "subscriptions:follow_consultation",
    "subscriptions:sent",
    "subscriptions:confirm",
    "subscriptions:unsubscribe",
    "reviews:public_asb_returns",
    "reviews:public_asb_returns_json",
}

# arg name -> function(demo partnership) -> value
SAMPLE_ARGS: dict[str, Callable] = {
    "partnership": lambda p: p.slug,
    "milestone": lambda p: _milestones_sample("milestone", p),
    "signoff": lambda p: _milestones_sample("signoff", p),
    "feed_token": lambda p: _milestones_sample("feed_token", p),
    "plan_template": lambda p: _milestones_sample("plan_template", p),
    "step": lambda p: _milestones_sample("step", p),
    "notice": lambda p: _first_notice(p),
    "report": lambda p: p.reports.order_by("pk").first().pk,
    "recommendation": lambda p: p.policing_recommendations.order_by("pk").first().pk,
    "review": lambda p: p.reviews.order_by("pk").first().pk,
    "review_recommendation": lambda p: p.reviews.order_by("pk").first()
    .recommendations.order_by("pk").first().pk,
    "action": lambda p: p.actions.order_by("pk").first().pk,
    "asb_return": lambda p: p.asb_returns.order_by("pk").first().pk,
    # A password-reset link that does not check out: its page says so.
    "uidb64": lambda p: "MQ",
    "token": lambda p: "not-a-token",
}


def _milestones_sample(arg: str, partnership):
    from tests.milestones.samples import sample

    return sample(arg, partnership)


def _first_notice(partnership) -> int:
    from reminders.models import Notice

    return Notice.objects.filter(partnership=partnership).values_list("pk", flat=True)[0]


SAMPLE_ARGS |= {
    # The strategy in force: its public pages and its PDF open, and its
    # golden thread is complete.
    "strategy": lambda p: _current(p).slug,
    "priority": lambda p: _current(p).priorities.order_by("pk").first().pk,
    "objective": lambda p: _current(p).priorities.order_by("pk").first()
    .objectives.order_by("pk").first().pk,
    "measure": lambda p: _measure(p).pk,
    "measurement": lambda p: _measure(p).measurements.order_by("pk").first().pk,
    "proposal": lambda p: _proposal_2022().pk,
    # Adoption and publication are confirmed on a page of their own.
    "to_status": lambda p: "adopted",
    "number": lambda p: 1,
    "year": lambda p: 2021,
    "line": lambda p: p.assessments.get(year=2021, duty="community_safety")
    .lines_of_enquiry.order_by("pk").first().pk,
    # The current strategic needs assessment (serious violence).
    "needs_year": lambda p: _needs(p).year,
    "needs_line": lambda p: _needs(p).lines_of_enquiry.order_by("pk").first().pk,
}


def _needs(partnership):
    return partnership.assessments.filter(duty="serious_violence").order_by("-year").first()


def _current(partnership):
    from strategy.models import Strategy

    return Strategy.objects.get(partnership=partnership, status=Strategy.Status.PUBLISHED,
                                duty=Strategy.Duty.COMMUNITY_SAFETY)


def _measure(partnership):
    from strategy.models import Measure

    return Measure.objects.filter(
        objective__priority__strategy=_current(partnership)
    ).order_by("pk").first()


def _proposal_2022():
    from strategy.models import PriorityProposal

    return PriorityProposal.objects.filter(strategy__slug="safermk-strategy-2022").order_by(
        "pk"
    ).first()


SAMPLE_ARGS |= {
    "consultation": lambda p: p.consultations.order_by("pk").first().slug,
    "consultation_step": lambda p: 1,
    "consultation_section": lambda p: _first_pk("Section", "consultation__partnership", p),
    "consultation_question": lambda p: _first_pk(
        "Question", "section__consultation__partnership", p
    ),
    "consultation_theme": lambda p: _first_pk("Theme", "consultation__partnership", p),
    "consultation_answer": lambda p: _first_pk(
        "Answer", "question__section__consultation__partnership", p, question__kind="text"
    ),
    "consultation_comment": lambda p: _first_pk("DraftComment", "consultation__partnership", p),
    "class_code": lambda p: _first_pk("SchoolClassCode", "consultation__partnership", p),
    "rights_request": lambda p: _rights_request_sample(p),
    "coding_action": lambda p: _coding_action_sample(p),
    "suggestion_run": lambda p: _suggested_themes_sample(p).run_id,
    "suggested_theme": lambda p: _suggested_themes_sample(p).pk,
    "consultation_document": lambda p: _document_sample(p),
    "consultee_record": lambda p: _first_pk("ConsulteeRecord", "strategy__partnership", p),
}


def _document_sample(partnership) -> int:
    """A PDF beside the partnership's first consultation (added the first
    time it is asked for)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from consultation.attachments import document_add
    from consultation.models import Document

    consultation = partnership.consultations.order_by("pk").first()
    found = Document.objects.filter(consultation=consultation).order_by("pk").first()
    if found is None:
        found = document_add(
            consultation=consultation, title="Easy read version",
            description="The draft in short sentences, with pictures.",
            upload=SimpleUploadedFile("easy-read.pdf", b"%PDF-1.4\n%%EOF\n"),
        )
    return found.pk


def _coding_action_sample(partnership) -> int:
    """A recorded coding change in the partnership's first consultation
    (made the first time it is asked for)."""
    from consultation import coding
    from consultation.models import CodingAction, Theme

    consultation = partnership.consultations.order_by("pk").first()
    found = CodingAction.objects.filter(consultation=consultation).order_by("pk").first()
    if found is None:
        theme = Theme.objects.filter(consultation=consultation).order_by("pk").first()
        answer = coding.codable_answers(consultation).order_by("pk").first()
        found = coding.coding_apply(consultation=consultation, theme=theme,
                                    answer_ids=[answer.pk], add=False, by=None)
        if found is None:
            found = coding.coding_apply(consultation=consultation, theme=theme,
                                        answer_ids=[answer.pk], add=True, by=None)
    return found.pk


def _suggested_themes_sample(partnership):
    """A suggested theme of a finished run on the partnership's first
    consultation, worked out as the worker does (the first time it is
    asked for)."""
    from consultation import coding
    from consultation.models import SuggestedTheme, SuggestionRun

    consultation = partnership.consultations.order_by("pk").first()
    found = SuggestedTheme.objects.filter(run__consultation=consultation).order_by("pk").first()
    if found is None:
        run = SuggestionRun.objects.create(consultation=consultation,
                                           kind=SuggestionRun.Kind.THEMES)
        coding.suggestion_run_execute(run_id=run.pk)
        found = SuggestedTheme.objects.filter(run=run).order_by("pk").first()
    return found


def _rights_request_sample(partnership) -> int:
    """A request, waiting for a decision, about one of the partnership's
    responses (made the first time it is asked for)."""
    from consultation.models import Response, RightsRequest
    from consultation.rights import rights_request_submit

    found = RightsRequest.objects.filter(
        partnership=partnership, status=RightsRequest.Status.RECEIVED, response__isnull=False
    ).order_by("pk").first()
    if found is None:
        response = Response.objects.filter(
            consultation__partnership=partnership, erased_at__isnull=True
        ).order_by("pk").first()
        found = rights_request_submit(reference=response.reference, kind="copy",
                                      email="resident@example.org")
    return found.pk


SAMPLE_ARGS |= {
    "organisation": lambda p: p.organisations.order_by("pk").first().pk,
    "board": lambda p: p.boards.order_by("order", "pk").first().slug,
    "board_member": lambda p: p.boards.order_by("order", "pk").first()
    .memberships.order_by("pk").first().pk,
    "person": lambda p: p.memberships.order_by("pk").first().user_id,
    "digest": lambda p: p.logo_digest,
    "invitation": lambda p: _invitation_sample(p)[0].pk,
    "invitation_token": lambda p: _invitation_sample(p)[1],
}

_invitations: dict[int, tuple] = {}


def _invitation_sample(partnership) -> tuple:
    """A pending invitation of the partnership and its token (made once per
    partnership row, since only the token's hash is stored)."""
    from partnerships.models import Invitation, token_hash
    from partnerships.services import invitation_create

    known = _invitations.get(partnership.pk)
    if known and Invitation.objects.pending().filter(
        pk=known[0].pk, token_hash=token_hash(known[1])
    ).exists():
        return known
    invitation = invitation_create(
        partnership=partnership, email=f"invited-{partnership.pk}@example.org",
        role="officer", site_url="http://testserver/",
    )
    _invitations[partnership.pk] = (invitation, invitation.token)
    return _invitations[partnership.pk]


def _first_pk(model: str, path: str, partnership, **filters) -> int:
    from django.apps import apps

    rows = apps.get_model("consultation", model).objects.filter(**{path: partnership}, **filters)
    return rows.order_by("pk").values_list("pk", flat=True).first()


def _walk(resolver, prefix_ns=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            ns = entry.namespace
            full_ns = f"{prefix_ns}:{ns}" if prefix_ns and ns else (ns or prefix_ns)
            yield from _walk(entry, full_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{prefix_ns}:{entry.name}" if prefix_ns else entry.name
            yield name, entry


def url_names() -> list[str]:
    return sorted({name for name, _ in _walk(get_resolver())})


def all_urls(partnership) -> list[tuple[str, str]]:
    urls = []
    for name, pattern in _walk(get_resolver()):
        args = list(pattern.pattern.converters)
        kwargs = {}
        for arg in args:
            if arg not in SAMPLE_ARGS:
                raise AssertionError(
                    f"URL {name!r} takes {arg!r}: add a sample for it to tests/urlwalk.py"
                )
            kwargs[arg] = SAMPLE_ARGS[arg](partnership)
        urls.append((name, reverse(name, kwargs=kwargs)))
    return sorted(set(urls))


SAMPLE_ARGS |= {
    "format_request": lambda p: _format_request_sample(p),
}


def _format_request_sample(partnership) -> int:
    """A request for another format to the partnership (made once)."""
    from accessibility.models import FormatRequest
    from accessibility.services import format_request_create

    existing = FormatRequest.objects.filter(partnership=partnership).order_by("pk").first()
    if existing:
        return existing.pk
    return format_request_create(
        partnership=partnership, format="large_print", document="The strategy",
        name="A Resident", email="resident@example.org",
    ).pk


SAMPLE_ARGS |= {
    "confirm_token": lambda p: _subscription_link(p, "subscriptions.confirm"),
    "unsubscribe_token": lambda p: _subscription_link(p, "subscriptions.unsubscribe"),
    "saved_token": lambda p: _saved_link(p),
}


def _subscription_link(partnership, purpose: str) -> str:
    """A signed link for an unconfirmed follower of the partnership (made
    the first time it is asked for)."""
    from subscriptions import links
    from subscriptions.models import Subscription

    subscription, _ = Subscription.objects.get_or_create(
        kind="partnership", partnership=partnership, email="follower@example.org",
    )
    return links.make(subscription, purpose)


def _saved_link(partnership) -> str:
    """A link to answers saved for the consultation the walk opens."""
    from consultation.saved import journey_save_for_later, link_path

    consultation = partnership.consultations.order_by("pk").first()
    row = journey_save_for_later(
        consultation=consultation, state={"audience": "public", "answers": {}},
        resume_path=f"/consultations/{consultation.slug}/respond/1/",
    )
    return link_path(row).rstrip("/").rsplit("/", 1)[1]
def _archive_sample(partnership) -> int:
    """An archive of the partnership, asked for and not yet made (made the
    first time it is asked for)."""
    from archive.models import PartnershipArchive

    found = PartnershipArchive.objects.filter(partnership=partnership).order_by("pk").first()
    if found is None:
        found = PartnershipArchive.objects.create(partnership=partnership)
    return found.pk


SAMPLE_ARGS |= {
    "archive": lambda p: _archive_sample(p),
}


def _quarter_sample(partnership) -> str:
    """The quarter the performance summary offers for the board report."""
    from django.utils import timezone

    from strategy.quarters import default_quarter

    return default_quarter(_current(partnership), today=timezone.localdate()).slug


SAMPLE_ARGS |= {
    "quarter": lambda p: _quarter_sample(p),
}
