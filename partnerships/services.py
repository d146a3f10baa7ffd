"""Writes for setting up a partnership: its details, organisations, boards,
people and invitations.

Every function validates with full_clean() inside a transaction, so a
cross-partnership choice (another partnership's organisation or board, a
person who is not in the partnership) is refused here whatever page or
script calls it. Every change to someone's role writes a RoleChange.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import ProtectedError, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit.models import Action as AuditAction
from audit.services import audit_record
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
    token_hash,
)

PARTNERSHIP_FIELDS = (
    "name", "area", "aim", "short_code", "colour", "plan_body", "pcc_plan_title",
    "pcc_plan_url", "website", "contact_email", "contact_phone", "contact_address",
    "accessibility_prepared_on", "accessibility_reviewed_on",
)
ORGANISATION_FIELDS = ("name", "short_name", "kind", "is_responsible_authority")
BOARD_FIELDS = ("name", "slug", "purpose", "quorum", "order")


def _check_fields(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")


def people_of(partnership: Partnership | int) -> QuerySet:
    """Everyone with a role in the partnership or a seat on one of its boards."""
    pid = partnership if isinstance(partnership, int) else partnership.pk
    return (
        get_user_model()
        .objects.filter(
            Q(memberships__partnership_id=pid) | Q(board_memberships__board__partnership_id=pid)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _log(partnership, *, action, user=None, email="", old_role="", new_role="", detail="",
         by=None) -> RoleChange:
    change = RoleChange.objects.create(
        partnership=partnership,
        user=user,
        email=email or (user.email if user else ""),
        action=action,
        old_role=old_role,
        new_role=new_role,
        detail=detail[:200],
        changed_by=by,
    )
    who = (user.get_full_name() or user.get_username()) if user else change.email
    roles = " to ".join(r for r in (old_role, new_role) if r)
    audit_record(
        action=AuditAction.ROLE_CHANGE,
        summary=f"{change.get_action_display()}: {who}" + (f", {roles}" if roles else "")
        + (f" ({change.detail})" if change.detail else ""),
        partnership=partnership,
        actor=by,
        target=change,
        detail={"change": action, "old_role": old_role, "new_role": new_role,
                "person": user.pk if user else None, "email": change.email},
    )
    return change


def role_changes_record_from_admin(*, formset, by) -> None:
    """Record the role changes a superuser made in the Django admin's
    membership and board-seat tables (already saved by the admin), as the
    people page records its own."""
    board = formset.model is BoardMembership
    for obj in formset.new_objects:
        partnership = obj.board.partnership if board else obj.partnership
        _log(partnership, action=RoleChange.Action.BOARD_ADDED if board
             else RoleChange.Action.GRANTED, user=obj.user, new_role=obj.get_role_display(),
             detail="In the admin" + (f": {obj.board.name}" if board else ""), by=by)
    for obj, changed in formset.changed_objects:
        if "role" not in changed:
            continue
        partnership = obj.board.partnership if board else obj.partnership
        old = formset.initial_roles.get(obj.pk, "")
        _log(partnership, action=RoleChange.Action.BOARD_CHANGED if board
             else RoleChange.Action.CHANGED, user=obj.user, old_role=old,
             new_role=obj.get_role_display(),
             detail="In the admin" + (f": {obj.board.name}" if board else ""), by=by)
    for obj in formset.deleted_objects:
        partnership = obj.board.partnership if board else obj.partnership
        _log(partnership, action=RoleChange.Action.BOARD_REMOVED if board
             else RoleChange.Action.REMOVED, user=obj.user,
             old_role=formset.initial_roles.get(obj._audit_pk, obj.get_role_display()),
             detail="In the admin" + (f": {obj.board.name}" if board else ""), by=by)


# Details -------------------------------------------------------------------


# Web address names that would clash with the set-up pages' own addresses.
RESERVED_SLUGS = {"new"}


@transaction.atomic
def partnership_create(
    *, name: str, slug: str, short_code: str, area: str, aim: str,
    administrator_email: str, administrator_first_name: str, administrator_last_name: str,
    by, site_url: str,
) -> Partnership:
    """A new partnership on the installation, and an invitation to its first
    administrator, who sets up the rest in the product. Both or neither."""
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": f"“{slug}” is used by the set-up pages: choose another"})
    partnership = Partnership(name=name, slug=slug, short_code=short_code, area=area, aim=aim)
    partnership.full_clean()
    partnership.save()
    invitation_create(
        partnership=partnership, email=administrator_email, role=Membership.Role.ADMINISTRATOR,
        first_name=administrator_first_name, last_name=administrator_last_name, by=by,
        site_url=site_url,
    )
    return partnership


@transaction.atomic
def partnership_update(*, partnership: Partnership, **fields) -> Partnership:
    _check_fields(fields, PARTNERSHIP_FIELDS)
    for name, value in fields.items():
        setattr(partnership, name, value)
    partnership.full_clean()
    partnership.save()
    return partnership


# Local policing body ---------------------------------------------------------


POLICING_BODY_FIELDS = ("kind", "name", "plan_title", "plan_url", "from_date")


@transaction.atomic
def policing_body_add(
    *, partnership: Partnership, kind: str, name: str, from_date: dt.date,
    plan_title: str = "", plan_url: str = "", by=None,
) -> PolicingBody:
    """Record the body whose plan the strategy must have regard to from
    `from_date` (a date in the future is fine: a change already announced).
    The body before it ends the day before; each row's to_date is kept here."""
    # Lock the partnership's rows so two changes at once cannot share a date.
    list(PolicingBody.objects.select_for_update().filter(partnership=partnership))
    body = PolicingBody(
        partnership=partnership, kind=kind, name=(name or "").strip(),
        plan_title=(plan_title or "").strip(), plan_url=(plan_url or "").strip(),
        from_date=from_date, created_by=by,
    )
    if from_date and PolicingBody.objects.filter(
        partnership=partnership, from_date=from_date
    ).exists():
        raise ValidationError({"from_date": (
            f"The partnership already has a policing body from {from_date:%-d %B %Y}: "
            "choose another date"
        )})
    body.full_clean()
    body.save()
    _policing_body_dates_set(partnership)
    body.refresh_from_db()
    return body


def _policing_body_dates_set(partnership: Partnership) -> None:
    rows = list(PolicingBody.objects.filter(partnership=partnership).order_by("from_date"))
    for row, following in zip(rows, rows[1:] + [None], strict=True):
        to_date = following.from_date - dt.timedelta(days=1) if following else None
        if row.to_date != to_date:
            PolicingBody.objects.filter(pk=row.pk).update(to_date=to_date)


@transaction.atomic
def policing_recommendation_record(
    *, partnership: Partnership, received_on: dt.date, recommendation: str, by=None
) -> PolicingRecommendation:
    """A recommendation received from the local policing body (the one in
    force on the day it was received)."""
    row = PolicingRecommendation(
        partnership=partnership, received_on=received_on,
        recommendation=(recommendation or "").strip(), created_by=by,
        policing_body=policing_body_on(partnership, received_on) if received_on else None,
    )
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def policing_recommendation_answer(
    *, recommendation: PolicingRecommendation, response: str, reasons: str,
    responded_on: dt.date | None,
) -> PolicingRecommendation:
    """The partnership's response to a recommendation, with reasons and date."""
    recommendation.response = response
    recommendation.reasons = (reasons or "").strip()
    recommendation.responded_on = responded_on
    recommendation.full_clean()
    recommendation.save(update_fields=["response", "reasons", "responded_on"])
    return recommendation


# Organisations -------------------------------------------------------------


@transaction.atomic
def organisation_create(*, partnership: Partnership, **fields) -> Organisation:
    _check_fields(fields, ORGANISATION_FIELDS)
    organisation = Organisation(partnership=partnership, **fields)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields) -> Organisation:
    _check_fields(fields, ORGANISATION_FIELDS)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation


def organisation_delete(*, organisation: Organisation) -> None:
    """Removes an organisation nothing refers to; otherwise says what still
    does (its members, objectives, measures, proposals...)."""
    try:
        with transaction.atomic():
            organisation.delete()
    except ProtectedError as exc:
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise ValidationError(
            f"{organisation.name} cannot be removed while it is used by: {', '.join(kinds)}. "
            "Change those first."
        ) from exc


# Boards --------------------------------------------------------------------


@transaction.atomic
def board_create(*, partnership: Partnership, **fields) -> Board:
    _check_fields(fields, BOARD_FIELDS)
    board = Board(partnership=partnership, **fields)
    board.full_clean()
    board.save()
    return board


@transaction.atomic
def board_update(*, board: Board, **fields) -> Board:
    _check_fields(fields, BOARD_FIELDS)
    for name, value in fields.items():
        setattr(board, name, value)
    board.full_clean()
    board.save()
    return board


@transaction.atomic
def board_member_add(
    *, board: Board, user, role: str, organisation: Organisation | None, by=None
) -> BoardMembership:
    board_membership = BoardMembership(
        board=board, user=user, role=role, organisation=organisation
    )
    board_membership.full_clean()
    board_membership.save()
    _log(board.partnership, action=RoleChange.Action.BOARD_ADDED, user=user,
         new_role=board_membership.get_role_display(), detail=board.name, by=by)
    return board_membership


@transaction.atomic
def board_member_update(
    *, board_membership: BoardMembership, role: str, organisation: Organisation | None, by=None
) -> BoardMembership:
    old = board_membership.get_role_display()
    board_membership.role = role
    board_membership.organisation = organisation
    board_membership.full_clean()
    board_membership.save()
    new = board_membership.get_role_display()
    if old != new:
        _log(board_membership.board.partnership, action=RoleChange.Action.BOARD_CHANGED,
             user=board_membership.user, old_role=old, new_role=new,
             detail=board_membership.board.name, by=by)
    return board_membership


@transaction.atomic
def board_member_remove(*, board_membership: BoardMembership, by=None) -> None:
    board = board_membership.board
    _log(board.partnership, action=RoleChange.Action.BOARD_REMOVED, user=board_membership.user,
         old_role=board_membership.get_role_display(), detail=board.name, by=by)
    board_membership.delete()


# People --------------------------------------------------------------------


@transaction.atomic
def membership_set(
    *,
    partnership: Partnership,
    user,
    role: str,
    organisation: Organisation | None = None,
    job_title: str = "",
    by=None,
) -> Membership:
    """Grants `user` a role in the partnership, or changes the role they have."""
    if by is not None and by.pk == user.pk and not by.is_superuser:
        raise ValidationError({"role": "You cannot change your own role: ask another "
                                       "administrator of the partnership."})
    membership = Membership.objects.filter(partnership=partnership, user=user).first()
    old_role = membership.get_role_display() if membership else ""
    if membership is None:
        membership = Membership(partnership=partnership, user=user)
    membership.role = role
    membership.organisation = organisation
    membership.job_title = job_title
    membership.full_clean()
    membership.save()
    new_role = membership.get_role_display()
    if not old_role:
        _log(partnership, action=RoleChange.Action.GRANTED, user=user, new_role=new_role, by=by)
    elif old_role != new_role:
        _log(partnership, action=RoleChange.Action.CHANGED, user=user, old_role=old_role,
             new_role=new_role, by=by)
    return membership


@transaction.atomic
def person_deactivate(*, partnership: Partnership, user, by=None) -> bool:
    """Removes the person's role and board seats in this partnership and
    withdraws their invitations here. If they belong to no other partnership
    their account is made inactive, so they can no longer sign in (the
    account stays, so decisions and history still name them). Returns
    whether the account was made inactive."""
    if by is not None and by.pk == user.pk:
        raise ValidationError("You cannot deactivate yourself: ask another administrator.")
    membership = Membership.objects.filter(partnership=partnership, user=user).first()
    if membership is not None:
        _log(partnership, action=RoleChange.Action.REMOVED, user=user,
             old_role=membership.get_role_display(), by=by)
        membership.delete()
    seats = BoardMembership.objects.filter(
        user=user, board__partnership=partnership
    ).select_related("board")
    for seat in seats:
        _log(partnership, action=RoleChange.Action.BOARD_REMOVED, user=user,
             old_role=seat.get_role_display(), detail=seat.board.name, by=by)
    seats.delete()
    Invitation.objects.pending().filter(
        partnership=partnership, email__iexact=user.email
    ).update(revoked_at=timezone.now())
    elsewhere = (
        Membership.objects.filter(user=user).exists()
        or BoardMembership.objects.filter(user=user).exists()
    )
    if elsewhere or user.is_superuser or not user.is_active:
        return False
    user.is_active = False
    user.save(update_fields=["is_active"])
    _log(partnership, action=RoleChange.Action.DEACTIVATED, user=user,
         detail="Can no longer sign in", by=by)
    return True


# Invitations ---------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _expiry(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=settings.SAFERMK_INVITATION_DAYS)


def existing_user_for(email: str):
    return (
        get_user_model()
        .objects.filter(email__iexact=email)
        .order_by("-is_active", "pk")
        .first()
    )


@transaction.atomic
def invitation_create(
    *,
    partnership: Partnership,
    email: str,
    role: str,
    organisation: Organisation | None = None,
    first_name: str = "",
    last_name: str = "",
    job_title: str = "",
    by=None,
    site_url: str,
) -> Invitation:
    """Sends a one-time link to `email`. The role is granted when the link is
    used, to the account with that e-mail if there is one, or a new one."""
    email = email.strip()
    user = existing_user_for(email)
    if user is not None and Membership.objects.filter(partnership=partnership, user=user).exists():
        raise ValidationError(
            {"email": f"{email} already has a role in this partnership: change it on the "
                      "people page."}
        )
    if Invitation.objects.pending().filter(partnership=partnership, email__iexact=email).exists():
        raise ValidationError(
            {"email": f"{email} already has an invitation waiting: resend it from the people "
                      "page."}
        )
    now = timezone.now()
    token = _new_token()
    invitation = Invitation(
        partnership=partnership, email=email, first_name=first_name, last_name=last_name,
        role=role, organisation=organisation, job_title=job_title,
        token_hash=token_hash(token), invited_by=by, created_at=now, sent_at=now,
        expires_at=_expiry(now),
    )
    invitation.full_clean()
    invitation.save()
    _log(partnership, action=RoleChange.Action.INVITED, user=user, email=email,
         new_role=invitation.get_role_display(), by=by)
    _send_invitation(invitation, token, site_url)
    invitation.token = token  # on this instance only: the database keeps its hash
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, site_url: str, by=None) -> Invitation:
    """A new link (the old one stops working) with a new expiry."""
    if invitation.accepted_at:
        raise ValidationError("This invitation has been used: the person can sign in.")
    now = timezone.now()
    token = _new_token()
    invitation.token_hash = token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = _expiry(now)
    invitation.revoked_at = None
    invitation.full_clean()
    invitation.save()
    _send_invitation(invitation, token, site_url)
    invitation.token = token
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by=None) -> Invitation:
    if invitation.accepted_at:
        raise ValidationError(
            "This invitation has been used: deactivate the person instead."
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _log(invitation.partnership, action=RoleChange.Action.INVITATION_REVOKED,
         email=invitation.email, old_role=invitation.get_role_display(), by=by)
    return invitation


def invitation_find(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("partnership", "organisation", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_user(invitation: Invitation):
    """The account the invitation is for: the existing one with its e-mail,
    or a new, unsaved one."""
    user = existing_user_for(invitation.email)
    if user is not None:
        return user
    User = get_user_model()
    username = invitation.email.lower()[:150]
    if User.objects.filter(username=username).exists():
        username = f"{username[:140]}-{secrets.token_hex(4)}"
    return User(
        username=username, email=invitation.email,
        first_name=invitation.first_name, last_name=invitation.last_name,
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str | None) -> object:
    """Uses the invitation once: sets the password (for a new account, or one
    without a usable password), reactivates a deactivated account, and grants
    the role. `password` may be None for an account that has one already."""
    # Lock the row so a double submit cannot use it twice.
    invitation = Invitation.objects.select_for_update().select_related("partnership").get(
        pk=invitation.pk
    )
    if invitation.status != "pending":
        raise ValidationError("This invitation can no longer be used.")
    user = invitation_user(invitation)
    if password is not None:
        user.set_password(password)
    elif not user.has_usable_password():
        raise ValidationError("Set a password to accept this invitation.")
    user.is_active = True
    user.save()
    membership_set(
        partnership=invitation.partnership, user=user, role=invitation.role,
        organisation=invitation.organisation, job_title=invitation.job_title,
        by=invitation.invited_by,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


def _send_invitation(invitation: Invitation, token: str, site_url: str) -> None:
    link = site_url.rstrip("/") + reverse("partnerships:invitation", args=[token])
    context = {
        "invitation": invitation,
        "partnership": invitation.partnership,
        "brand_name": settings.SAFERMK_BRAND_NAME,
        "link": link,
        "inviter": invitation.invited_by,
        "existing": existing_user_for(invitation.email) is not None,
    }
    subject = (
        f"{invitation.partnership.name}: you are invited to {settings.SAFERMK_BRAND_NAME}"
    )
    body = render_to_string("partnerships/email/invitation.txt", context)
    # Sent after the commit, so a rolled-back invitation sends nothing.
    transaction.on_commit(
        lambda: send_mail(subject, body, None, [invitation.email], fail_silently=False)
    )


# Logo ------------------------------------------------------------------------

LOGO_MAX_BYTES = 1_000_000
# Checked from the image's header before its pixels are decoded, so a small
# file that claims to be a huge image (a decompression bomb) costs nothing.
LOGO_MAX_PIXELS = 16_000_000
LOGO_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "GIF": "GIF", "WEBP": "WebP"}
# The largest logo we keep: the header shows it 40 px high, documents larger.
LOGO_BOX = (800, 200)


def logo_png_from_upload(upload) -> bytes:
    """A clean PNG made from an uploaded image, or a ValidationError that says
    what to do. The type is read from the content, never the file name; the
    pixels are re-encoded so nothing but the picture is kept (no metadata, no
    payload hidden in the file)."""
    import io

    from PIL import Image, UnidentifiedImageError

    size = getattr(upload, "size", None)
    data = upload.read(LOGO_MAX_BYTES + 1)
    if (size or len(data)) > LOGO_MAX_BYTES or len(data) > LOGO_MAX_BYTES:
        raise ValidationError(
            {"logo": "The file is too big: choose an image of 1 MB or smaller"}
        )
    if not data:
        raise ValidationError({"logo": "The file is empty: choose a PNG, JPEG, GIF or WebP image"})
    wrong_type = ValidationError(
        {"logo": "The file must be a PNG, JPEG, GIF or WebP image (an SVG, PDF or other "
                 "file cannot be used)"}
    )
    try:
        # verify() reads the whole file and checks it, even where another
        # library (WeasyPrint) lets Pillow load truncated images; it leaves
        # the image unusable, so the pixels are read from a second opening.
        with Image.open(io.BytesIO(data)) as checked:
            if checked.format not in LOGO_FORMATS:
                raise wrong_type
            width, height = checked.size
            if width * height > LOGO_MAX_PIXELS:
                raise ValidationError(
                    {"logo": f"The image is {width} × {height} pixels: choose one of at most "
                             "4,000 × 4,000 pixels"}
                )
            checked.verify()
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in LOGO_FORMATS:
                raise wrong_type
            width, height = image.size
            if width * height > LOGO_MAX_PIXELS:
                raise ValidationError(
                    {"logo": f"The image is {width} × {height} pixels: choose one of at most "
                             "4,000 × 4,000 pixels"}
                )
            image.seek(0)  # the first frame of an animation
            image.load()
            mode = "RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB"
            picture = image.convert(mode)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(
            {"logo": "The image is too large: choose one of at most 4,000 × 4,000 pixels"}
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise wrong_type from None
    picture.thumbnail(LOGO_BOX)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def partnership_logo_set(*, partnership: Partnership, upload) -> Partnership:
    """Check and store a new logo; the old file is removed once the change is
    committed (a failed save keeps the old logo working)."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    png = logo_png_from_upload(upload)
    digest = hashlib.sha256(png).hexdigest()[:16]
    name = f"partnership-logos/{partnership.pk}-{digest}.png"
    # The same picture again is the same file: its address stays the same.
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(png))
    _logo_replace(partnership, name)
    return partnership


def partnership_logo_remove(*, partnership: Partnership) -> Partnership:
    _logo_replace(partnership, "")
    return partnership


def _logo_replace(partnership: Partnership, name: str) -> None:
    from django.core.files.storage import default_storage

    with transaction.atomic():
        old = (
            Partnership.objects.select_for_update().filter(pk=partnership.pk)
            .values_list("logo", flat=True).get()
        )
        Partnership.objects.filter(pk=partnership.pk).update(logo=name)
        if old and old != name:
            transaction.on_commit(lambda: default_storage.delete(old))
    partnership.logo = name
