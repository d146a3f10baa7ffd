"""What an archive holds of respondents: free text and equality data only as
each consultation's retention period allows (even before the nightly task
has run), erased responses as erased, no per-request secrets; and of people
only those its records name, with no password."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.utils import timezone

from archive.export import archive_write
from consultation.models import Answer, Consultation, DraftComment, EqualityResponse
from consultation.services import ERASURE_MARK, RETENTION_MARK
from tests import factories
from tests.consultation.factories import open_consultation
from tests.consultation.rights_helpers import COMMENT, FREE_TEXT, ORGANISATION, submit_full

pytestmark = pytest.mark.django_db


def _archive(partnership) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    archive_write(partnership=partnership, handle=buffer)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def _rows(zf, kind):
    return json.loads(zf.read(f"data/{kind}.json"))


def test_free_text_and_equality_past_retention_are_left_out_before_the_nightly_task(
    partnership
):
    past = open_consultation(partnership, slug="past")
    current = open_consultation(partnership, slug="current")
    submit_full(past)
    submit_full(current)
    now = timezone.now()
    Consultation.objects.filter(pk=past.pk).update(
        opens_at=now - dt.timedelta(days=200), closes_at=now - dt.timedelta(days=100),
        status=Consultation.Status.CLOSED, retention_days=90,
    )
    zf = _archive(partnership)

    by_consultation = {row["id"]: row["slug"] for row in _rows(zf, "consultations")}
    responses = {row["id"]: by_consultation[row["consultation_id"]]
                 for row in _rows(zf, "responses")}
    texts = {"past": set(), "current": set()}
    for answer in _rows(zf, "answers"):
        if answer["text"]:
            texts[responses[answer["response_id"]]].add(answer["text"])
    assert texts["past"] == {RETENTION_MARK}
    assert FREE_TEXT in texts["current"]
    comments = {by_consultation[c["consultation_id"]]: c["text"]
                for c in _rows(zf, "draft_comments")}
    assert comments == {"past": RETENTION_MARK, "current": COMMENT}
    assert [by_consultation[e["consultation_id"]] for e in _rows(zf, "equality_responses")] \
        == ["current"]
    csv_text = zf.read("csv/answers.csv").decode()
    assert csv_text.count(FREE_TEXT) == 1
    # The archive changes nothing: the nightly task still has its work.
    assert Answer.objects.filter(response__consultation=past, text=FREE_TEXT).exists()
    assert EqualityResponse.objects.filter(consultation=past).exists()


def test_an_erased_response_stays_erased_and_no_token_is_written(partnership):
    from consultation.services import response_erase

    consultation = open_consultation(partnership)
    erased = submit_full(consultation, token="a" * 43)
    response_erase(response=erased)
    zf = _archive(partnership)
    (row,) = _rows(zf, "responses")
    assert row["erased_at"] and row["organisation_name"] == ""
    assert "idempotency_token" not in row
    texts = {a["text"] for a in _rows(zf, "answers") if a["response_id"] == row["id"]} - {""}
    assert texts == {ERASURE_MARK}
    assert {c["text"] for c in _rows(zf, "draft_comments")} == {ERASURE_MARK}
    assert _rows(zf, "equality_responses") == []
    everything = b"".join(zf.read(name) for name in zf.namelist()).decode("utf-8", "replace")
    assert FREE_TEXT not in everything and ORGANISATION not in everything
    assert not DraftComment.objects.exclude(text=ERASURE_MARK).exists()


def test_people_are_only_those_named_and_carry_no_password(partnership, other_partnership):
    board = factories.BoardFactory(partnership=partnership)
    member = factories.BoardMembershipFactory(board=board).user
    factories.MembershipFactory(partnership=partnership)  # a role only: not in the archive
    factories.BoardMembershipFactory(board=factories.BoardFactory(
        partnership=other_partnership))
    zf = _archive(partnership)
    people = _rows(zf, "people")
    assert [p["email"] for p in people] == [member.email]
    assert set(people[0]) == {"id", "first_name", "last_name", "email"}
    assert "pbkdf2" not in zf.read("csv/people.csv").decode()
