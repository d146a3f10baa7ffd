"""Setting up a partnership in the product: its details, organisations,
boards and people, for the partnership's administrators (and superusers).

Another partnership's pages answer 404; the partnership's other people
(officers, partner officers, board members) get 403. The invitation page
is public: the one-time token in its address is the credential.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerships import services
from partnerships.access import get_partnership_for_user
from partnerships.forms import (
    BoardForm,
    BoardMemberForm,
    InvitationForm,
    InvitationPasswordForm,
    LogoForm,
    NewPartnershipForm,
    OrganisationForm,
    PartnershipForm,
    PersonForm,
    PolicingBodyForm,
    PolicingRecommendationForm,
    PolicingResponseForm,
    show_service_errors,
)
from partnerships.models import (
    Board,
    BoardMembership,
    Invitation,
    Membership,
    Organisation,
    Partnership,
    PolicingBody,
    PolicingRecommendation,
    RoleChange,
    policing_body_on,
)

# How many role changes the people page shows.
HISTORY_ROWS = 50
PARTNERSHIPS_PER_PAGE = 50

# Lookups ---------------------------------------------------------------------


def _get_partnership_for_admin(request, slug: str) -> Partnership:
    return get_partnership_for_user(request, slug, administrator=True)


def _get_organisation_for_user(request, partnership: Partnership, pk: int) -> Organisation:
    return get_object_or_404(Organisation, pk=pk, partnership=partnership)


def _get_board_for_user(request, partnership: Partnership, slug: str) -> Board:
    return get_object_or_404(Board.objects.select_related("partnership"),
                             partnership=partnership, slug=slug)


def _get_board_member_for_user(request, board: Board, pk: int) -> BoardMembership:
    return get_object_or_404(
        BoardMembership.objects.select_related("user", "organisation", "board__partnership"),
        pk=pk, board=board,
    )


def _get_person_for_user(request, partnership: Partnership, pk: int):
    return get_object_or_404(services.people_of(partnership), pk=pk)


def _get_invitation_for_user(request, partnership: Partnership, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("partnership"), pk=pk, partnership=partnership
    )


def _get_recommendation_for_user(request, partnership: Partnership,
                                 pk: int) -> PolicingRecommendation:
    return get_object_or_404(
        PolicingRecommendation.objects.select_related("policing_body"),
        pk=pk, partnership=partnership,
    )


def _posted(request):
    return request.POST if request.method == "POST" else None


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


def _form_page(request, partnership, form, *, title, heading, submit, back_url, caption=None,
               intro=None, extra=None):
    context = {
        "partnership": partnership, "form": form, "title": title, "heading": heading,
        "submit": submit, "back_url": back_url, "caption": caption or partnership.name,
        "intro": intro,
    }
    return render(request, "partnerships/form.html", context | (extra or {}))


# Overview and details --------------------------------------------------------


@login_required
def partnership_list(request):
    """The partnerships the user administers (every one, for a superuser)."""
    access = request.access
    if not access.is_any_administrator:
        raise PermissionDenied("Only partnership administrators can set up a partnership.")
    rows = Partnership.objects.order_by("name")
    if not access.is_superuser:
        rows = rows.filter(pk__in=access.administered_partnership_ids())
    paginator = Paginator(rows, PARTNERSHIPS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    # An administrator of one partnership goes straight to it; an operator
    # sees the list, with the way to add a partnership.
    if paginator.count == 1 and not access.is_superuser:
        return redirect("partnerships:manage", page.object_list[0].slug)
    return render(request, "partnerships/list.html", {"page": page})



@login_required
@require_http_methods(["GET", "POST"])
def partnership_new(request):
    """An installation's operator (a superuser) adds a partnership and
    invites its first administrator; partnership administrators cannot."""
    if not request.access.is_superuser:
        raise PermissionDenied("Only the installation's operators can add a partnership.")
    form = NewPartnershipForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partnership = services.partnership_create(
                name=data["name"], slug=data["slug"], short_code=data["short_code"],
                area=data["area"], aim=data["aim"],
                administrator_email=data["administrator_email"],
                administrator_first_name=data["administrator_first_name"],
                administrator_last_name=data["administrator_last_name"],
                by=request.user, site_url=_site_url(request),
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(
                request, f"{partnership.name} is added. {data['administrator_email']} is "
                "invited to be its administrator.",
            )
            return redirect("partnerships:manage", partnership.slug)
    return render(request, "partnerships/new.html", {"form": form})


@login_required
def manage(request, partnership):
    partnership = _get_partnership_for_admin(request, partnership)
    counts = Partnership.objects.filter(pk=partnership.pk).aggregate(
        organisations=Count("organisations", distinct=True),
        boards=Count("boards", distinct=True),
        members=Count("memberships", distinct=True),
    )
    pending = Invitation.objects.pending().filter(partnership=partnership).count()
    return render(request, "partnerships/manage.html", {
        "partnership": partnership, "counts": counts, "pending": pending,
        "policing_body": policing_body_on(partnership, timezone.localdate()),
    })


@login_required
@require_http_methods(["GET", "POST"])
def details(request, partnership):
    partnership = _get_partnership_for_admin(request, partnership)
    # Bind to a copy so a refused change never shows in the page's header.
    form = PartnershipForm(_posted(request), instance=Partnership.objects.get(pk=partnership.pk))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.partnership_update(partnership=partnership, **fields)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "The partnership's details are saved.")
            return redirect("partnerships:manage", partnership.slug)
    return _form_page(
        request, partnership, form, title=f"Details – {partnership.name}",
        heading="The partnership's details", submit="Save the details",
        back_url=reverse("partnerships:manage", args=[partnership.slug]),
    )


# Local policing body -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def policing_body(request, partnership):
    """The bodies whose police and crime plan the strategy must have regard to,
    with their dates, and a form to record a change."""
    partnership = _get_partnership_for_admin(request, partnership)
    form = PolicingBodyForm(_posted(request), instance=PolicingBody(partnership=partnership))
    if request.method == "POST" and form.is_valid():
        try:
            body = services.policing_body_add(
                partnership=partnership, by=request.user,
                **{name: form.cleaned_data[name] for name in services.POLICING_BODY_FIELDS},
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(
                request, f"{body.name} is recorded from {body.from_date:%-d %B %Y}."
            )
            return redirect("partnerships:policing_body", partnership.slug)
    bodies = PolicingBody.objects.for_partnership(partnership).order_by("-from_date")
    return render(request, "partnerships/policing_body.html", {
        "partnership": partnership, "form": form, "bodies": bodies,
        "in_force": policing_body_on(partnership, timezone.localdate()),
    })


RECOMMENDATIONS_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
def policing_recommendations(request, partnership):
    """Recommendations received from the local policing body, with the
    partnership's responses, and a form to record one."""
    partnership = _get_partnership_for_admin(request, partnership)
    form = PolicingRecommendationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            row = services.policing_recommendation_record(
                partnership=partnership, by=request.user,
                received_on=form.cleaned_data["received_on"],
                recommendation=form.cleaned_data["recommendation"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "The recommendation is recorded. Record the "
                                      "partnership's response when it is decided.")
            return redirect("partnerships:policing_recommendation", partnership.slug, row.pk)
    rows = PolicingRecommendation.objects.filter(partnership=partnership).select_related(
        "policing_body")
    page = Paginator(rows, RECOMMENDATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "partnerships/policing_recommendations.html", {
        "partnership": partnership, "form": form, "page": page,
    })


@login_required
@require_http_methods(["GET", "POST"])
def policing_recommendation(request, partnership, recommendation):
    partnership = _get_partnership_for_admin(request, partnership)
    recommendation = _get_recommendation_for_user(request, partnership, recommendation)
    form = PolicingResponseForm(
        _posted(request),
        instance=PolicingRecommendation.objects.get(pk=recommendation.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.policing_recommendation_answer(
                recommendation=recommendation,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "The partnership's response is saved.")
            return redirect("partnerships:policing_recommendations", partnership.slug)
    body = recommendation.policing_body
    return _form_page(
        request, partnership, form,
        title=f"Response to a recommendation of {recommendation.received_on:%-d %B %Y} – "
              f"{partnership.name}",
        heading="The partnership's response",
        submit="Save the response",
        back_url=reverse("partnerships:policing_recommendations", args=[partnership.slug]),
        intro=f"Received on {recommendation.received_on:%-d %B %Y} from "
              f"{body.in_sentence if body else 'the local policing body'}: "
              f"{recommendation.recommendation}",
    )


# Logo ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def logo(request, partnership):
    partnership = _get_partnership_for_admin(request, partnership)
    if request.method == "POST" and request.POST.get("action") == "remove":
        services.partnership_logo_remove(partnership=partnership)
        messages.success(request, "The logo is removed.")
        return redirect("partnerships:manage", partnership.slug)
    form = LogoForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_logo_set(partnership=partnership,
                                          upload=form.cleaned_data["logo"])
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "The logo is saved. It shows on the partnership's pages.")
            return redirect("partnerships:manage", partnership.slug)
    return render(request, "partnerships/logo.html", {"partnership": partnership, "form": form})


@require_GET
def logo_file(request, partnership, digest):
    """The logo, for anyone: its address holds a fingerprint of the picture,
    so browsers may keep it for a year; a new logo gets a new address."""
    partnership = get_object_or_404(Partnership.objects.only("pk", "slug", "logo"),
                                     slug=partnership)
    if not partnership.logo or partnership.logo_digest != digest:
        raise Http404("No such logo.")
    try:
        stored = default_storage.open(partnership.logo.name, "rb")
    except FileNotFoundError:
        raise Http404("No such logo.") from None
    response = FileResponse(stored, content_type="image/png")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Organisations ---------------------------------------------------------------


@login_required
def organisations(request, partnership):
    partnership = _get_partnership_for_admin(request, partnership)
    rows = (
        Organisation.objects.filter(partnership=partnership)
        .annotate(member_count=Count("members", distinct=True),
                  board_seat_count=Count("board_members", distinct=True))
        .order_by("name")
    )
    return render(request, "partnerships/organisations.html",
                  {"partnership": partnership, "organisations": rows})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new(request, partnership):
    partnership = _get_partnership_for_admin(request, partnership)
    form = OrganisationForm(_posted(request), instance=Organisation(partnership=partnership))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                partnership=partnership,
                **{name: form.cleaned_data[name] for name in services.ORGANISATION_FIELDS},
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{organisation.name} is added.")
            return redirect("partnerships:organisations", partnership.slug)
    return _form_page(
        request, partnership, form, title=f"Add an organisation – {partnership.name}",
        heading="Add an organisation", submit="Add the organisation",
        back_url=reverse("partnerships:organisations", args=[partnership.slug]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, partnership, organisation):
    partnership = _get_partnership_for_admin(request, partnership)
    organisation = _get_organisation_for_user(request, partnership, organisation)
    form = OrganisationForm(_posted(request), instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation,
                **{name: form.cleaned_data[name] for name in services.ORGANISATION_FIELDS},
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{organisation.name} is saved.")
            return redirect("partnerships:organisations", partnership.slug)
    return _form_page(
        request, partnership, form, title=f"Change {organisation.name} – {partnership.name}",
        heading=f"Change {organisation.name}", submit="Save",
        back_url=reverse("partnerships:organisations", args=[partnership.slug]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_remove(request, partnership, organisation):
    partnership = _get_partnership_for_admin(request, partnership)
    organisation = _get_organisation_for_user(request, partnership, organisation)
    error = None
    if request.method == "POST":
        try:
            services.organisation_delete(organisation=organisation)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"{organisation.name} is removed.")
            return redirect("partnerships:organisations", partnership.slug)
    return render(request, "partnerships/confirm.html", {
        "partnership": partnership, "error": error,
        "title": f"Remove {organisation.name} – {partnership.name}",
        "heading": f"Remove {organisation.name}?",
        "body": "It can be removed only while no member, board seat, objective, measure or "
                "proposal refers to it.",
        "submit": "Remove the organisation",
        "back_url": reverse("partnerships:organisations", args=[partnership.slug]),
    }, status=400 if error else 200)


# Boards ----------------------------------------------------------------------


@login_required
def boards(request, partnership):
    partnership = _get_partnership_for_admin(request, partnership)
    rows = (
        Board.objects.filter(partnership=partnership)
        .select_related("partnership")
        .annotate(
            member_count=Count("memberships"),
            voting_count=Count("memberships", filter=Q(
                memberships__role__in=[BoardMembership.Role.CHAIR, BoardMembership.Role.MEMBER]
            )),
        )
        .order_by("order", "name")
    )
    return render(request, "partnerships/boards.html",
                  {"partnership": partnership, "boards": rows})


@login_required
@require_http_methods(["GET", "POST"])
def board_new(request, partnership):
    partnership = _get_partnership_for_admin(request, partnership)
    last = Board.objects.filter(partnership=partnership).order_by("-order").first()
    form = BoardForm(
        _posted(request), instance=Board(partnership=partnership),
        initial={"order": (last.order + 1) if last else 1,
                 "quorum": settings.SAFERMK_DEFAULT_BOARD_QUORUM},
    )
    if request.method == "POST" and form.is_valid():
        try:
            board = services.board_create(
                partnership=partnership,
                **{name: form.cleaned_data[name] for name in services.BOARD_FIELDS},
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{board.name} is added. Now add its members.")
            return redirect(board.get_absolute_url())
    return _form_page(
        request, partnership, form, title=f"Add a board – {partnership.name}",
        heading="Add a board", submit="Add the board",
        back_url=reverse("partnerships:boards", args=[partnership.slug]),
    )


@login_required
def board(request, partnership, board):
    partnership = _get_partnership_for_admin(request, partnership)
    board = _get_board_for_user(request, partnership, board)
    members = board.memberships.select_related("user", "organisation").order_by(
        "role", "user__last_name", "user__first_name"
    )
    voting = sum(1 for m in members if m.can_vote)
    return render(request, "partnerships/board.html", {
        "partnership": partnership, "board": board, "members": members, "voting": voting,
    })


@login_required
@require_http_methods(["GET", "POST"])
def board_edit(request, partnership, board):
    partnership = _get_partnership_for_admin(request, partnership)
    board = _get_board_for_user(request, partnership, board)
    form = BoardForm(_posted(request), instance=Board.objects.get(pk=board.pk))
    if request.method == "POST" and form.is_valid():
        try:
            board = services.board_update(
                board=board, **{name: form.cleaned_data[name] for name in services.BOARD_FIELDS}
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{board.name} is saved.")
            return redirect(board.get_absolute_url())
    return _form_page(
        request, partnership, form, title=f"Change {board.name} – {partnership.name}",
        heading=f"Change {board.name}", submit="Save", back_url=board.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def board_member_new(request, partnership, board):
    partnership = _get_partnership_for_admin(request, partnership)
    board = _get_board_for_user(request, partnership, board)
    form = BoardMemberForm(_posted(request), board=board,
                           initial={"role": BoardMembership.Role.MEMBER})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.board_member_add(board=board, user=data["user"], role=data["role"],
                                      organisation=data["organisation"], by=request.user)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{data['user'].get_full_name()} is on {board.name}.")
            return redirect(board.get_absolute_url())
    return _form_page(
        request, partnership, form, title=f"Add a member to {board.name} – {partnership.name}",
        heading=f"Add a member to {board.name}", submit="Add the member",
        back_url=board.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def board_member_edit(request, partnership, board, board_member):
    partnership = _get_partnership_for_admin(request, partnership)
    board = _get_board_for_user(request, partnership, board)
    seat = _get_board_member_for_user(request, board, board_member)
    form = BoardMemberForm(_posted(request), board=board, editing=True,
                           initial={"role": seat.role, "organisation": seat.organisation})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.board_member_update(board_membership=seat, role=data["role"],
                                         organisation=data["organisation"], by=request.user)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "The board member is saved.")
            return redirect(board.get_absolute_url())
    name = seat.user.get_full_name() or seat.user.username
    return _form_page(
        request, partnership, form, title=f"{name} on {board.name} – {partnership.name}",
        heading=f"{name} on {board.name}", submit="Save", back_url=board.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def board_member_remove(request, partnership, board, board_member):
    partnership = _get_partnership_for_admin(request, partnership)
    board = _get_board_for_user(request, partnership, board)
    seat = _get_board_member_for_user(request, board, board_member)
    name = seat.user.get_full_name() or seat.user.username
    if request.method == "POST":
        services.board_member_remove(board_membership=seat, by=request.user)
        messages.success(request, f"{name} is no longer on {board.name}.")
        return redirect(board.get_absolute_url())
    return render(request, "partnerships/confirm.html", {
        "partnership": partnership,
        "title": f"Remove {name} from {board.name} – {partnership.name}",
        "heading": f"Remove {name} from {board.name}?",
        "body": "Their past decisions and sign-offs stay on record.",
        "submit": "Remove from the board", "back_url": board.get_absolute_url(),
    })


# People ----------------------------------------------------------------------


@login_required
def people(request, partnership):
    partnership = _get_partnership_for_admin(request, partnership)
    memberships = (
        Membership.objects.filter(partnership=partnership)
        .select_related("user", "organisation")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    seats = Prefetch(
        "board_memberships",
        queryset=BoardMembership.objects.filter(board__partnership=partnership)
        .select_related("board").order_by("board__order", "board__name"),
        to_attr="seats",
    )
    board_only = (
        services.people_of(partnership)
        .exclude(memberships__partnership=partnership)
        .prefetch_related(seats)
    )
    invitations = (
        Invitation.objects.filter(partnership=partnership, accepted_at__isnull=True)
        .select_related("organisation", "invited_by")
        .order_by("-sent_at")
    )
    history = (
        RoleChange.objects.filter(partnership=partnership)
        .select_related("user", "changed_by")[:HISTORY_ROWS]
    )
    return render(request, "partnerships/people.html", {
        "partnership": partnership, "memberships": memberships, "board_only": board_only,
        "invitations": invitations, "history": history,
    })


@login_required
@require_http_methods(["GET", "POST"])
def invite(request, partnership):
    partnership = _get_partnership_for_admin(request, partnership)
    form = InvitationForm(_posted(request), partnership=partnership,
                          initial={"role": Membership.Role.OFFICER})
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                partnership=partnership, by=request.user, site_url=_site_url(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"An invitation is on its way to {invitation.email}. The link works once, "
                f"for {settings.SAFERMK_INVITATION_DAYS} days.",
            )
            return redirect("partnerships:people", partnership.slug)
    return _form_page(
        request, partnership, form, title=f"Invite a person – {partnership.name}",
        heading="Invite a person",
        intro="They get an e-mail with a link to set their password. Their role starts "
              "when they use it.",
        submit="Send the invitation",
        back_url=reverse("partnerships:people", args=[partnership.slug]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def person(request, partnership, person):
    partnership = _get_partnership_for_admin(request, partnership)
    person = _get_person_for_user(request, partnership, person)
    membership = Membership.objects.filter(partnership=partnership, user=person).first()
    initial = (
        {"role": membership.role, "organisation": membership.organisation,
         "job_title": membership.job_title}
        if membership else {}
    )
    form = PersonForm(_posted(request), partnership=partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_set(partnership=partnership, user=person, by=request.user,
                                    **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{person.get_full_name() or person.username}'s role "
                                      "is saved.")
            return redirect("partnerships:people", partnership.slug)
    name = person.get_full_name() or person.username
    return _form_page(
        request, partnership, form, title=f"{name}'s role – {partnership.name}",
        heading=f"{name}'s role", submit="Save the role",
        intro=None if membership else f"{name} sits on a board but has no role in the "
                                      "partnership yet.",
        back_url=reverse("partnerships:people", args=[partnership.slug]),
        extra={"deactivate_url": reverse("partnerships:person_deactivate",
                                          args=[partnership.slug, person.pk])},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_deactivate(request, partnership, person):
    partnership = _get_partnership_for_admin(request, partnership)
    person = _get_person_for_user(request, partnership, person)
    name = person.get_full_name() or person.username
    error = None
    if request.method == "POST":
        try:
            inactive = services.person_deactivate(partnership=partnership, user=person,
                                                  by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                f"{name} no longer has a role in {partnership.name}"
                + (" and can no longer sign in." if inactive else "."),
            )
            return redirect("partnerships:people", partnership.slug)
    return render(request, "partnerships/confirm.html", {
        "partnership": partnership, "error": error,
        "title": f"Deactivate {name} – {partnership.name}",
        "heading": f"Deactivate {name}?",
        "body": "This removes their role and their board seats in this partnership and "
                "withdraws any invitation. If they belong to no other partnership they can "
                "no longer sign in. Their past decisions and the history of their roles stay "
                "on record.",
        "submit": "Deactivate", "warning": True,
        "back_url": reverse("partnerships:people", args=[partnership.slug]),
    }, status=400 if error else 200)


@login_required
@require_POST
def invitation_resend(request, partnership, invitation):
    partnership = _get_partnership_for_admin(request, partnership)
    invitation = _get_invitation_for_user(request, partnership, invitation)
    try:
        services.invitation_resend(invitation=invitation, site_url=_site_url(request),
                                   by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"A new link is on its way to {invitation.email}; the "
                                  "old one no longer works.")
    return redirect("partnerships:people", partnership.slug)


@login_required
@require_POST
def invitation_revoke(request, partnership, invitation):
    partnership = _get_partnership_for_admin(request, partnership)
    invitation = _get_invitation_for_user(request, partnership, invitation)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The invitation for {invitation.email} is revoked.")
    return redirect("partnerships:people", partnership.slug)


# Accepting an invitation -------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request, invitation_token):
    invitation = services.invitation_find(invitation_token)
    if invitation is None or invitation.status != "pending":
        return render(
            request, "partnerships/invitation_unusable.html",
            {"invitation": invitation, "status": invitation.status if invitation else None},
            status=404 if invitation is None else 410,
        )
    user = services.invitation_user(invitation)
    has_password = user.pk is not None and user.has_usable_password() and user.is_active
    form = None if has_password else InvitationPasswordForm(user, _posted(request))
    if request.method == "POST" and (form is None or form.is_valid()):
        password = None if form is None else form.cleaned_data["new_password1"]
        try:
            user = services.invitation_accept(invitation=invitation, password=password)
        except ValidationError:
            return render(request, "partnerships/invitation_unusable.html",
                          {"invitation": invitation, "status": "used"}, status=410)
        if form is None:
            messages.success(request, f"You now have a role in {invitation.partnership.name}. "
                                      "Sign in with your password.")
            return redirect("login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to {invitation.partnership.name}.")
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "partnerships/invitation.html", {
        "invitation": invitation, "form": form, "user_exists": has_password,
    })
