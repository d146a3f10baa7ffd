"""A partnership's records of processing (UK GDPR article 30): what
personal data the product holds about whom, why, for how long, and who can
see it, for the data protection officer's DPIA.

Every period is read from what is in force now: the settings of this
installation and each consultation's own retention period. It gathers
every app's data, so it lives here, above them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from consultation.models import Consultation, RightsRequest
from partnerships.models import BoardMembership, Membership, Partnership
from safermk.templatetags.safermk_format import duration_days


@dataclass
class Record:
    name: str
    subjects: str
    data: str
    purpose: str
    lawful_basis: str
    retention: str
    who: str
    notes: list[str] = field(default_factory=list)


def _minutes(n: int) -> str:
    return f"{n} minute{'s' if n != 1 else ''}"


def _hours(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{seconds} seconds"


def access_counts(partnership: Partnership) -> dict:
    roles = dict(
        Membership.objects.filter(partnership=partnership, user__is_active=True)
        .values_list("role").annotate(n=Count("id")).values_list("role", "n")
    )
    board_members = (
        BoardMembership.objects.filter(board__partnership=partnership, user__is_active=True)
        .values("user_id").distinct().count()
    )
    superusers = get_user_model().objects.filter(is_superuser=True, is_active=True).count()
    return {
        "administrators": roles.get(Membership.Role.ADMINISTRATOR, 0),
        "officers": roles.get(Membership.Role.OFFICER, 0),
        "partners": roles.get(Membership.Role.PARTNER, 0),
        "board_members": board_members,
        "superusers": superusers,
    }


def consultations_with_retention(partnership: Partnership) -> list[dict]:
    """Each consultation with its retention period and the day its free
    text and equality data are (or were) deleted."""
    rows = (
        Consultation.objects.filter(partnership=partnership)
        .annotate(
            response_count=Count("responses", distinct=True),
            erased_count=Count("responses", filter=Q(responses__erased_at__isnull=False),
                               distinct=True),
        )
        .order_by("-closes_at", "pk")
    )
    result = []
    for c in rows:
        result.append({
            "consultation": c,
            "period": duration_days(c.retention_days),
            "due": (c.closes_at + dt.timedelta(days=c.retention_days)).date(),
            "deleted_at": c.data_deleted_at,
            "responses": c.response_count,
            "erased": c.erased_count,
        })
    return result


def records(
    partnership: Partnership, consultations: list[dict], who: dict,
    subscribers: dict | None = None,
) -> list[Record]:
    subscribers = subscribers or {"confirmed": 0, "unconfirmed": 0}
    officers = (
        f"the partnership's {who['administrators']} administrators and {who['officers']} "
        "officers (partnership officers), and the installation's "
        f"{who['superusers']} superusers"
    )
    if consultations:
        periods = sorted({c["period"] for c in consultations})
        consultation_retention = (
            "Free text, comments on the draft and answers about the person are deleted "
            f"{' or '.join(periods)} after each consultation closes (each consultation's own "
            "period, listed below), by the nightly retention task; the totals are kept. "
            "Multiple-choice answers stay, with the response's reference, for the counts "
            "and the published \"you said, we did\"."
        )
    else:
        consultation_retention = (
            "Each consultation sets its own period (365 days after closing unless changed); "
            "this partnership has no consultation yet."
        )
    return [
        Record(
            name="Consultation responses",
            subjects="Residents, people who work in the area, organisations and, through "
            "schools, young people who answer a consultation",
            data="Answers to the questions; free text and comments on the draft (people are "
            "asked not to name anyone, but may); the organisation's name for stakeholders; "
            "how and when it was sent; a reference number. No name, e-mail or address is "
            "asked for. Pupils give a class code and an age band only.",
            purpose="Obtaining the views of the public on the community safety strategy, as "
            "the Crime and Disorder Act 1998 (s.6) requires, and publishing what people said "
            "and what the partnership did",
            lawful_basis="Public task: UK GDPR article 6(1)(e)",
            retention=consultation_retention,
            who=f"Read and exported by {officers}. Partner officers and board members see "
            "only the summary put to their board. Every export is recorded in the audit.",
            notes=[
                "Answers not yet sent are kept in the visitor's session for "
                f"{_hours(settings.CONSULTATION_JOURNEY_SECONDS)} after their last page, then "
                "deleted by the nightly session clean-up.",
                "A respondent can ask for a copy of their response or for its erasure with "
                "its reference number (below).",
            ],
        ),
        Record(
            name="Equality monitoring",
            subjects="Adults who answer the optional questions about themselves",
            data="Age band, sex, ethnic group, disability, postcode district",
            purpose="Showing who the consultation reached, for the public sector equality "
            "duty (Equality Act 2010 s.149)",
            lawful_basis="Public task (article 6(1)(e)); special category data under article "
            "9(2)(g) and Data Protection Act 2018 Schedule 1 paragraph 8 (equality of "
            "opportunity or treatment)",
            retention="Deleted with the free text (the same period, per consultation); the "
            "totals are kept as counts.",
            who=f"{officers.capitalize()}, as totals; a group is shown with other filters only "
            "when at least 10 people are in it. The row-level file has no reference number. "
            "Every view of equality data is recorded in the audit.",
        ),
        Record(
            name="Requests from respondents (copy or erasure)",
            subjects="People who ask for a copy of their response or for its erasure",
            data="The reference number they give, what they ask for, the e-mail address to "
            "reply to, an optional message, the decision and who made it",
            purpose="Answering requests under UK GDPR articles 15 and 17, and showing that "
            "they were answered",
            lawful_basis="Legal obligation: article 6(1)(c)",
            retention="The e-mail address and message are deleted "
            f"{duration_days(settings.RIGHTS_REQUEST_RETENTION_DAYS)} after the decision "
            "(RIGHTS_REQUEST_RETENTION_DAYS), by a nightly task; the reference, the request "
            "and the decision stay as the record.",
            who=f"{officers.capitalize()}. Each decision is recorded in the audit.",
            notes=[
                "Erasure deletes the response's free text, comments, equality answers and "
                "organisation, replaces its reference and keeps its multiple-choice answers, "
                "anonymous, in the counts.",
            ],
        ),
        Record(
            name="People who follow consultations by e-mail",
            subjects="Anyone who asks for an e-mail when the partnership opens a consultation, "
            "or when a consultation's results are published",
            data="The e-mail address, what it follows, when it was given and confirmed, and "
            "which e-mails were sent to it. No account, no name.",
            purpose="Telling people who asked about consultations they can take part in, and "
            "about what the partnership did with what people said",
            lawful_basis="Consent (article 6(1)(a)), given twice: on the form, and with the "
            "link in the confirmation e-mail. Every e-mail has a link that withdraws it.",
            retention="Deleted at once when the person unsubscribes; "
            f"{duration_days(settings.SUBSCRIPTION_UNCONFIRMED_DAYS)} after it was given if "
            "never confirmed (SUBSCRIPTION_UNCONFIRMED_DAYS); for one consultation's results, "
            f"{duration_days(settings.SUBSCRIPTION_RESULTS_KEPT_DAYS)} after the results "
            "e-mail (SUBSCRIPTION_RESULTS_KEPT_DAYS). A nightly task deletes them.",
            who="The installation's superusers only; officers see no addresses.",
            notes=[
                f"This partnership has {subscribers['confirmed']} confirmed and "
                f"{subscribers['unconfirmed']} unconfirmed followers now.",
            ],
        ),
        Record(
            name="Receipts and saved answers",
            subjects="Respondents who ask for a receipt, or save their answers to come back",
            data="An e-mail address, only to send the receipt (the reference and a copy of the "
            "answers) or the link to saved answers; the saved answers themselves",
            purpose="Giving respondents a record of what they sent, and letting them finish "
            "later without an account",
            lawful_basis="Public task (article 6(1)(e)), at the person's request",
            retention="The address is never stored with the response: it is deleted as soon "
            "as the e-mail has gone (or after two days if it cannot be sent). Saved answers "
            "are deleted when the link is used, or "
            f"{duration_days(settings.CONSULTATION_SAVED_DAYS)} after saving "
            "(CONSULTATION_SAVED_DAYS), and never outlive the consultation's closing.",
            who="Nobody reads them: the worker sends the e-mail.",
        ),
        Record(
            name="People who sign in (officers, partner officers, board members)",
            subjects="Staff of the partner organisations and board members",
            data="Name, e-mail address, username, password (as a salted hash), job title, "
            "telephone, organisation, roles in the partnership and seats on its boards, "
            "invitations, reminder preferences and notices, a private calendar address",
            purpose="Giving each person access to their partnership's work only, and sending "
            "them reminders",
            lawful_basis="Public task (article 6(1)(e)); for staff of the partner bodies, "
            "also their employment",
            retention="While the person has a role. A deactivated account is kept, unable to "
            "sign in, because decisions and history name it; an administrator or superuser "
            f"removes it when no longer needed. Invitation links work for "
            f"{duration_days(settings.SAFERMK_INVITATION_DAYS)} (SAFERMK_INVITATION_DAYS).",
            who="The partnership's administrators (people page) and the installation's "
            "superusers",
        ),
        Record(
            name="Decisions and the history of the strategy",
            subjects="Officers and board members",
            data="Who reviewed, decided, approved, changed or published what, and when: "
            "board reviews and decisions, sign-off requests, strategy and milestone history, "
            "lifecycle transitions",
            purpose="Accountability: showing which board approved which exact version, as "
            "the strategy's governance requires",
            lawful_basis="Public task (article 6(1)(e))",
            retention="Kept for the life of the strategy's record: decisions are never "
            "changed.",
            who="The partnership's officers and board members; for a published strategy, "
            "the public see which board approved which version and when.",
        ),
        Record(
            name="The audit trail",
            subjects="Everyone who signs in, and respondents whose requests are decided",
            data="Who, when, what and from where (internet address and browser) for every "
            "sign-in and refused sign-in, role change, export of responses, view of equality "
            "data, lifecycle transition, decision, publication, request and erasure. Requests "
            "from the public are recorded without their address.",
            purpose="Security and accountability for residents' data",
            lawful_basis="Public task (article 6(1)(e)); security of processing (article 32)",
            retention=f"{duration_days(settings.AUDIT_RETENTION_DAYS).capitalize()} "
            "(AUDIT_RETENTION_DAYS), then deleted by a nightly task. Records cannot be "
            "changed.",
            who="The partnership's administrators (audit page) and the installation's "
            "superusers",
        ),
        Record(
            name="Requests for a document in another format",
            subjects="Anyone who asks for a document or page in large print, easy read, "
            "audio, braille or another format",
            data="Name, e-mail address or telephone number, what they need and for which "
            "document, a reference number, and who marked it done",
            purpose="Providing documents in an accessible format (Public Sector Bodies "
            "Accessibility Regulations 2018; Equality Act 2010 reasonable adjustments)",
            lawful_basis="Legal obligation (article 6(1)(c)); public task (article 6(1)(e))",
            retention="The name and contact details are deleted "
            f"{duration_days(settings.FORMAT_REQUEST_RETENTION_DAYS)} after the request is "
            "marked done, or after it was made if it never is (FORMAT_REQUEST_RETENTION_DAYS), "
            "by a nightly task; the reference, format, document and dates stay as the record.",
            who=f"{officers.capitalize()} (requests page). The e-mail that tells officers of a "
            "request carries no name or contact details.",
        ),
        Record(
            name="Archives of the partnership's data",
            subjects="Everyone the partnership's records name: respondents (as their "
            "responses), officers, board members and partner staff",
            data="One .zip file of everything the service holds about this partnership: its "
            "set-up, boards and their members, assessments, strategies and their versions, "
            "measures, milestones and sign-offs, consultations with their questions and "
            "responses (free text and equality answers only within each consultation's "
            "retention period; erased responses as erased), themes, the local policing body's "
            "records, stored PDFs, and the name and work e-mail of each person a record "
            "names. Not in it: roles, invitations, the audit trail, respondents' requests, "
            "requests for another format, reminders, passwords.",
            purpose="Giving the partnership its data (to keep, to move to another "
            "installation, or when it leaves the service)",
            lawful_basis="Public task (article 6(1)(e))",
            retention="The file is deleted "
            f"{duration_days(settings.PARTNERSHIP_ARCHIVE_KEEP_DAYS)} after it is made "
            "(PARTNERSHIP_ARCHIVE_KEEP_DAYS), by an hourly task; the record that it was made "
            "stays. A copy someone downloaded is the partnership's to keep "
            "and delete under its own policy.",
            who="Made and downloaded only by the partnership's administrators (data archive "
            "page) and the installation's superusers; each request and each download is "
            "recorded in the audit.",
        ),
        Record(
            name="Backups of the installation",
            subjects="Everyone in this record of processing, for every partnership on the "
            "installation",
            data="A copy of the whole database and the stored files (manage.py backup): "
            "everything above as it was that night, including staff password hashes",
            purpose="Restoring the service after a loss of its database or files",
            lawful_basis="Security of processing (article 32); public task",
            retention="Set by whoever runs the installation, outside the product: 35 days is "
            "suggested (a nightly backup, the oldest deleted). Data deleted by a retention "
            "period or an erasure stays in the backups taken before it until they are "
            "deleted.",
            who="The installation's operators only; backups should be encrypted before they "
            "leave the server.",
        ),
        Record(
            name="Sign-in protection and sessions",
            subjects="Everyone who signs in or tries to",
            data="Failed sign-ins: the username typed, internet address and browser; the "
            "session cookie",
            purpose="Stopping password guessing; keeping people signed in",
            lawful_basis="Security of processing (article 32); public task",
            retention=f"Failed sign-ins: until the lock-out of "
            f"{_minutes(settings.SIGN_IN_LOCKOUT_MINUTES)} has passed or the person signs "
            "in. Sessions end after "
            f"{_minutes(settings.SESSION_IDLE_TIMEOUT_MINUTES)} without activity "
            "(SESSION_IDLE_TIMEOUT_MINUTES) and are deleted nightly once expired.",
            who="The installation's superusers",
        ),
    ]


def subscriber_counts(partnership: Partnership) -> dict:
    from subscriptions.models import Subscription

    counts = Subscription.objects.filter(partnership=partnership).aggregate(
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        unconfirmed=Count("pk", filter=Q(confirmed_at__isnull=True)),
    )
    return counts


def records_of_processing(partnership: Partnership) -> dict:
    who = access_counts(partnership)
    consultations = consultations_with_retention(partnership)
    waiting = RightsRequest.objects.for_partnership(partnership).waiting().count()
    return {
        "records": records(partnership, consultations, who, subscriber_counts(partnership)),
        "consultations": consultations,
        "who": who,
        "waiting_requests": waiting,
        "settings": [
            ("AUDIT_RETENTION_DAYS", settings.AUDIT_RETENTION_DAYS, "days"),
            ("RIGHTS_REQUEST_RETENTION_DAYS", settings.RIGHTS_REQUEST_RETENTION_DAYS, "days"),
            ("FORMAT_REQUEST_RETENTION_DAYS", settings.FORMAT_REQUEST_RETENTION_DAYS, "days"),
            ("PARTNERSHIP_ARCHIVE_KEEP_DAYS", settings.PARTNERSHIP_ARCHIVE_KEEP_DAYS, "days"),
            ("CONSULTATION_JOURNEY_SECONDS", settings.CONSULTATION_JOURNEY_SECONDS, "seconds"),
            ("CONSULTATION_SAVED_DAYS", settings.CONSULTATION_SAVED_DAYS, "days"),
            ("SUBSCRIPTION_UNCONFIRMED_DAYS", settings.SUBSCRIPTION_UNCONFIRMED_DAYS, "days"),
            ("SUBSCRIPTION_RESULTS_KEPT_DAYS", settings.SUBSCRIPTION_RESULTS_KEPT_DAYS, "days"),
            ("SESSION_IDLE_TIMEOUT_MINUTES", settings.SESSION_IDLE_TIMEOUT_MINUTES, "minutes"),
            ("SIGN_IN_LOCKOUT_MINUTES", settings.SIGN_IN_LOCKOUT_MINUTES, "minutes"),
            ("SAFERMK_INVITATION_DAYS", settings.SAFERMK_INVITATION_DAYS, "days"),
        ],
    }
