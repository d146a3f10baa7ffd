"""Sign-ins, refused sign-ins and sign-outs, from Django's auth signals."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from audit.models import Action
from audit.services import audit_record_each

USERNAME_LENGTH = 150


def partnerships_of(user) -> set[int]:
    from partnerships.models import BoardMembership, Membership

    ids = set(Membership.objects.filter(user=user).values_list("partnership_id", flat=True))
    ids |= set(
        BoardMembership.objects.filter(user=user).values_list("board__partnership_id", flat=True)
    )
    return ids


def signed_in(sender, request=None, user=None, **kwargs) -> None:
    audit_record_each(
        partnerships=partnerships_of(user),
        action=Action.SIGN_IN,
        summary=f"{user.get_username()} signed in",
        actor=user,
        target=user,
        request=request,
    )


def signed_out(sender, request=None, user=None, **kwargs) -> None:
    if user is None:
        return
    audit_record_each(
        partnerships=partnerships_of(user),
        action=Action.SIGN_OUT,
        summary=f"{user.get_username()} signed out",
        actor=user,
        target=user,
        request=request,
    )


def sign_in_failed(sender, credentials=None, request=None, **kwargs) -> None:
    """A wrong password (or a locked-out username). Recorded against the
    account the username names, if any, so that partnership's
    administrators see attempts on their people; otherwise about no
    partnership (superusers read those in the admin)."""
    typed = str((credentials or {}).get("username") or "")
    typed = "".join(c for c in typed if c.isprintable())[:USERNAME_LENGTH]
    user = (
        get_user_model().objects.filter(username__iexact=typed).order_by("pk").first()
        if typed else None
    )
    audit_record_each(
        partnerships=partnerships_of(user) if user else set(),
        action=Action.SIGN_IN_FAILED,
        summary=f"Sign-in refused for “{typed or '(no username)'}”",
        actor=None,
        target=user,
        request=request,
        detail={"username": typed},
    )
