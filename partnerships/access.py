"""Who may see and do what: the one place every view asks.

`request.access` (set by AccessMiddleware) is an Access for the signed-in
user. It loads the user's memberships once per request, so checks in loops
cost no queries.

The rule of thumb the views follow:
- something in a partnership the user does not belong to: 404, so its
  existence is not revealed;
- something in the user's partnership that their role may not do: 403.
"""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from partnerships.models import Board, BoardMembership, Membership, Partnership


class Access:
    def __init__(self, user) -> None:
        self.user = user

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user and self.user.is_authenticated)

    @property
    def is_superuser(self) -> bool:
        return self.is_authenticated and self.user.is_superuser

    @cached_property
    def memberships(self) -> dict[int, Membership]:
        if not self.is_authenticated:
            return {}
        rows = Membership.objects.filter(user=self.user).select_related(
            "partnership", "organisation"
        )
        return {m.partnership_id: m for m in rows}

    @cached_property
    def board_memberships(self) -> dict[int, BoardMembership]:
        if not self.is_authenticated:
            return {}
        rows = BoardMembership.objects.filter(user=self.user).select_related(
            "board", "board__partnership", "organisation"
        )
        return {bm.board_id: bm for bm in rows}

    # Partnerships -----------------------------------------------------
    def partnership_ids(self) -> set[int]:
        """Partnerships the user belongs to in any role (officer, partner
        officer or board member)."""
        ids = set(self.memberships)
        ids.update(bm.board.partnership_id for bm in self.board_memberships.values())
        return ids

    def partnerships(self) -> QuerySet[Partnership]:
        if self.is_superuser:
            return Partnership.objects.all()
        return Partnership.objects.filter(pk__in=self.partnership_ids())

    def officer_partnership_ids(self) -> set[int]:
        return {
            pid for pid, m in self.memberships.items() if m.role in Membership.OFFICER_ROLES
        }

    def administered_partnership_ids(self) -> set[int]:
        return {
            pid
            for pid, m in self.memberships.items()
            if m.role == Membership.Role.ADMINISTRATOR
        }

    def can_view(self, partnership: Partnership | int) -> bool:
        pid = _pk(partnership)
        return self.is_superuser or pid in self.partnership_ids()

    def is_officer(self, partnership: Partnership | int) -> bool:
        """A partnership officer (or administrator): runs the whole process
        for the partnership."""
        if self.is_superuser:
            return True
        m = self.memberships.get(_pk(partnership))
        return m is not None and m.role in Membership.OFFICER_ROLES

    def is_administrator(self, partnership: Partnership | int) -> bool:
        """A partnership administrator: sets up the partnership's details,
        organisations, boards and people."""
        if self.is_superuser:
            return True
        m = self.memberships.get(_pk(partnership))
        return m is not None and m.role == Membership.Role.ADMINISTRATOR

    def is_staff_of(self, partnership: Partnership | int) -> bool:
        """A partnership officer or a partner officer."""
        return self.is_superuser or _pk(partnership) in self.memberships

    def organisation_id(self, partnership: Partnership | int) -> int | None:
        m = self.memberships.get(_pk(partnership))
        return m.organisation_id if m else None

    def can_update_for_organisation(
        self, partnership: Partnership | int, organisation_id: int | None
    ) -> bool:
        """Officers update anything in their partnership; partner officers only
        what their own organisation owns."""
        if self.is_officer(partnership):
            return True
        m = self.memberships.get(_pk(partnership))
        return (
            m is not None
            and m.role == Membership.Role.PARTNER
            and organisation_id is not None
            and m.organisation_id == organisation_id
        )

    # Boards -----------------------------------------------------------
    def board_ids(self) -> set[int]:
        return set(self.board_memberships)

    def board_membership(self, board: Board | int) -> BoardMembership | None:
        return self.board_memberships.get(_pk(board))

    def is_board_member(self, board: Board | int) -> bool:
        return _pk(board) in self.board_memberships

    def can_review_for(self, board: Board | int) -> bool:
        bm = self.board_membership(board)
        return bm is not None and bm.can_vote

    def can_decide_for(self, board: Board | int) -> bool:
        bm = self.board_membership(board)
        return bm is not None and bm.can_record_decision

    @property
    def is_any_officer(self) -> bool:
        return self.is_superuser or bool(self.memberships)

    @property
    def is_any_administrator(self) -> bool:
        return self.is_superuser or bool(self.administered_partnership_ids())

    @property
    def is_any_board_member(self) -> bool:
        return bool(self.board_memberships)


def _pk(obj) -> int:
    return obj if isinstance(obj, int) else obj.pk


def get_partnership_for_user(
    request, slug: str, *, officer: bool = False, administrator: bool = False
) -> Partnership:
    """The partnership called `slug` if the user belongs to it (404 otherwise);
    with officer=True, 403 unless the user is one of its partnership officers;
    with administrator=True, 403 unless they are one of its administrators."""
    partnership = get_object_or_404(Partnership, slug=slug)
    require(request.access, partnership, officer=officer, administrator=administrator)
    return partnership


def require(
    access: Access,
    partnership: Partnership | int,
    *,
    officer: bool = False,
    administrator: bool = False,
) -> None:
    if not access.can_view(partnership):
        raise Http404("Not found")
    if officer and not access.is_officer(partnership):
        raise PermissionDenied("Only partnership officers can do this.")
    if administrator and not access.is_administrator(partnership):
        raise PermissionDenied("Only the partnership's administrators can do this.")
