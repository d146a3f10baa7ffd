"""Hostile input never gives a server error, and is never reflected raw.

Every URL pattern is opened with the demo's real arguments (tests/urlwalk.py)
as the first of officer, board chair, board member, partner officer,
administrator and anonymous visitor that may see it. Every <form> on those
pages is read (text boxes, GOV.UK date inputs `x_0/x_1/x_2`, selects, radios,
checkboxes, hidden fields and the CSRF token) and submitted with values that
hypothesis draws: NUL bytes and other control characters, 100 KB strings,
huge and negative numbers, 30-digit years, right-to-left marks and other
unicode, SQL, HTML and script injections, empty values, lists where one value
is expected and choices that do not exist, mixed with the form's own valid
values so that submissions also get past the first field check. Each page is
also opened with hostile query strings, and every pattern that no form posts
to is sent a hostile POST of its own.

Each form's submissions run inside a savepoint that is rolled back, so a
successful "delete" does not take later pages' objects away. The demo is
loaded once for the whole walk.
"""

from __future__ import annotations

import re
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import urlwalk
from tests.consultation.factories import open_consultation
from tests.urlwalk import PUBLIC, all_urls

# Per form, every field is first sent each of the CANARIES (so that each kind
# of attack reaches every field for sure), then hypothesis draws this many
# mixed submissions (derandomized: the same ones on every run). About 2,000
# requests in all, a minute or two on an idle machine.
EXAMPLES_PER_FORM = 3
EXAMPLES_PER_QUERY_STRING = 1

SCRIPT = '<script>alert("smk")</script>'
IMG = '"><img src=x onerror=alert("smk")>'
REFLECTION_MARKERS = (SCRIPT, '<img src=x onerror=alert("smk")>')

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\r\n\t",
    "x" * 100_000,
    "9" * 30,
    "1" * 5000,
    "-1",
    "0",
    "-99999999999999999999",
    "99999999999999999999",
    "2147483648",
    "9223372036854775808",
    "1e309",
    "NaN",
    "-inf",
    "1.5",
    "0x10",
    "２０２２",
    "²",
    "\u202eevil\u202c",
    "\u200f\u200b\ufeff",
    "😀" * 20,
    "Zoë Ångström 東京",
    "\ud7ff\ue000\U0010ffff",
    "' OR '1'='1",
    "1; DROP TABLE auth_user; --",
    "%' OR 1=1 --",
    SCRIPT,
    IMG,
    "javascript:alert(1)",
    "{{ 7*7 }}{% debug %}",
    "../../../../etc/passwd",
    "//evil.example/",
    "http://evil.example/",
    "age_band:25_34",
    "age_band:",
    ":",
    "None",
    "true",
    "[]",
    "{}",
]

# Where a page is protected, who tries it first.
ROLES = ["officer", "chair", "riskboard", "police", "admin", None]


@dataclass
class Form:
    page: str
    action: str
    method: str
    # name -> list of the values the page offers (options, radios, the
    # value already in the box); the first is what a person would send.
    fields: dict[str, list[str]] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)
    user: str | None = None
    # A form reached through the public journey keeps that visitor's
    # session (answers so far), so it is submitted with the same client.
    client: Client | None = None
    # Its submit buttons in order, by name (None for one without a name): a
    # browser sends only the button pressed, the first one for Enter.
    submitters: list[str | None] = field(default_factory=list)

    def key(self) -> tuple:
        return (urlsplit(self.action).path, self.method, tuple(sorted(self.fields)))


class _FormParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or self.page
            if action.startswith("?"):
                action = urlsplit(self.page).path + action
            self._form = Form(self.page, action, (a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        kind = (a.get("type") or ("submit" if tag == "button" else "text")).lower()
        if form is not None and tag in ("button", "input") and kind in ("submit", "image"):
            form.submitters.append(a.get("name") or None)
        if form is None or not a.get("name"):
            return
        name = a["name"]
        values = form.fields.setdefault(name, [])
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset") and "value" not in a:
                form.fields.pop(name)
                return
            if kind == "hidden":
                form.hidden.add(name)
            if kind in ("checkbox", "radio") and "value" not in a:
                values.append("on")
            else:
                values.append(a.get("value") or "")
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
        elif tag == "option" and self._select:
            form.fields[self._select].append(a.get("value", ""))
        elif tag == "button" and "value" in a:
            values.append(a["value"])

    def handle_data(self, data):
        if self._textarea and self._form:
            self._form.fields[self._textarea].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_forms(page: str, html: str) -> list[Form]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms


hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
)


# The day, month and year boxes of a GOV.UK date input (name_0, _1, _2).
DATE_PART = re.compile(r".+_[012]$")
date_part = st.one_of(
    st.sampled_from(["9" * 30, "1" * 5000, "0", "-1", "32", "13", "29", "2", "24", "2022",
                     "0999", "9999", "22", "march", "\x00", "1.5", "２０２２"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


def field_value(name: str, offered: list[str]):
    """A valid value the page offers, a hostile one, or a list of either."""
    valid = [v for v in offered if v is not None] or [""]
    hostile = st.one_of(date_part, hostile_text) if DATE_PART.match(name) else hostile_text
    single = st.one_of(st.sampled_from(valid), hostile)
    return st.one_of(single, single, st.lists(single, min_size=2, max_size=3))


@dataclass
class Tally:
    pages: int = 0
    forms: int = 0
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)

    def check(self, label: str, send) -> None:
        self.requests += 1
        started = time.monotonic()
        try:
            response = send()
        except Exception:  # noqa: BLE001 - any exception is a server error
            self.failures.append(f"{label}\n{traceback.format_exc(limit=-6)}")
            return
        finally:
            where = label.split("?")[0].split(" as ")[0]
            self.seconds[where] = self.seconds.get(where, 0) + time.monotonic() - started
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.failures.append(f"{label} answered {response.status_code}")
            return
        if "text/html" in response.get("Content-Type", "") and not response.streaming:
            body = response.content.decode(errors="replace")
            for marker in REFLECTION_MARKERS:
                if marker in body:
                    self.failures.append(f"{label} reflected {marker!r} unescaped")


def _client(users: dict, role: str | None) -> Client:
    client = Client()
    if role is not None:
        client.force_login(users[role])
    return client


def _open_pages(demo, users) -> tuple[list[tuple[str, str, str | None]], list[Form]]:
    """(name, url, role) of every pattern, and every form found on them."""
    pages, forms = [], {}

    def read(url, role, response):
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for form in parse_forms(url, response.content.decode()):
                form.user = role
                forms.setdefault(form.key(), form)

    for name, url in _urls(demo):
        if name == "logout":
            pages.append((name, url, "officer"))
            continue
        roles = [None, *ROLES[:-1]] if name in PUBLIC else ROLES
        chosen = None
        for role in roles:
            response = _client(users, role).get(url)
            if response.status_code == 200:
                chosen = role
                read(url, role, response)
                break
        if name.startswith("milestones:") and chosen != "chair":
            # Board members' forms (reviews, decisions) show to them only.
            read(url, "chair", _client(users, "chair").get(url))
        pages.append((name, url, chosen))
    return pages, list(forms.values())


def _urls(demo) -> list[tuple[str, str]]:
    """Every pattern with the demo's arguments (tests/urlwalk.py), and again
    with the strategy being drafted and an open consultation of the same
    partnership: the published strategy's pages refuse edits, and the demo's
    consultation is closed, so their forms only show on these."""
    from strategy.models import Strategy

    S = Strategy.Status
    draft = Strategy.objects.filter(
        partnership=demo, status__in=[S.PLANNING, S.DRAFTING, S.CONSULTATION, S.SIGN_OFF]
    ).order_by("pk").first()
    priority = draft.priorities.order_by("pk").first()
    objective = priority.objectives.order_by("pk").first()
    measure = objective.measures.order_by("pk").first() if objective else None
    consultation = open_consultation(demo, slug="fuzz-open-consultation")
    overrides = {
        "strategy": lambda p: draft.slug,
        "priority": lambda p: priority.pk,
        "consultation": lambda p: consultation.slug,
        "consultation_section": lambda p: consultation.sections.order_by("pk").first().pk,
        "consultation_question": lambda p: consultation.sections.order_by("pk").first()
        .questions.order_by("pk").first().pk,
    }
    if objective:
        overrides["objective"] = lambda p: objective.pk
    if measure:
        overrides["measure"] = lambda p: measure.pk
    urls = set(all_urls(demo))
    saved = dict(urlwalk.SAMPLE_ARGS)
    urlwalk.SAMPLE_ARGS.update(overrides)
    try:
        urls |= set(all_urls(demo))
    finally:
        urlwalk.SAMPLE_ARGS.clear()
        urlwalk.SAMPLE_ARGS.update(saved)
    return sorted(urls)


def _default(offered: list[str]) -> str:
    return next((v for v in offered if v), "")


def _walk_public_journeys(forms: list[Form], limit: int = 30) -> list[Form]:
    """Forms behind the public forms (a consultation's question pages, the
    comments, about-you and check pages): each public form is sent with the
    first value it offers, and the page it leads to is read, as one visitor
    whose session carries the answers so far."""
    client = Client()
    seen = {f.key() for f in forms}
    queue = [f for f in forms if f.user is None and f.method == "post"]
    found: list[Form] = []
    for _ in range(limit):
        if not queue:
            break
        form = queue.pop(0)
        buttons = {name for name in form.submitters if name}
        values = {name: _default(offered) for name, offered in form.fields.items()
                  if name not in buttons}
        pressed = form.submitters[0] if form.submitters else None
        if pressed in form.fields:
            values[pressed] = _default(form.fields[pressed])
        response = client.post(form.action, values)
        target = response.get("Location", "") if response.status_code == 302 else ""
        if not target.startswith("/"):
            continue
        page = client.get(target)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        for new in parse_forms(target, page.content.decode()):
            if new.key() not in seen and new.method == "post":
                seen.add(new.key())
                new.client = client
                found.append(new)
                queue.append(new)
    return found


CANARIES = ["a\x00b", "9" * 30, SCRIPT + IMG, "x" * 100_000, "/" + "y" * 20_000, ["1", "zz"]]
QUERY_CANARIES = ["a\x00b", "9" * 30, SCRIPT + IMG, ["1", "zz"]]
QUERY_KEYS = ["q", "page", "question", "theme", "group", "audience", "a", "b", "target",
              "return", "duty", "next", "status", "token", "year"]
POST_KEYS = ["next", "action", "direction", "status", "token", "name", "title", "themes",
             "position", "outcome", "seen_hash", "duty"]


def _send(client, method: str, url: str, values: dict, label: str, tally: Tally) -> None:
    with transaction.atomic():
        if method == "post":
            tally.check(f"POST {url} as {label} with {values!r:.300}",
                        lambda: client().post(url, values))
        else:
            tally.check(f"GET {url} as {label} with {values!r:.300}",
                        lambda: client().get(urlsplit(url).path, values))
        transaction.set_rollback(True)


def _fuzz_form(form: Form, users: dict, tally: Tally) -> None:
    # Signed in inside the savepoint: the session row goes with the rollback.
    def client():
        return form.client or _client(users, form.user)

    names = [name for name in form.fields if name != "csrfmiddlewaretoken"]
    for canary in CANARIES:
        _send(client, form.method, form.action, dict.fromkeys(names, canary), form.user, tally)

    @settings(max_examples=EXAMPLES_PER_FORM, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def submit(data):
        values = {}
        for name in names:
            if data.draw(st.booleans(), label=f"send {name}"):
                values[name] = data.draw(field_value(name, form.fields[name]), label=name)
        _send(client, form.method, form.action, values, form.user, tally)

    submit()


def _fuzz_query_string(url: str, role: str | None, users: dict, tally: Tally) -> None:
    def client():
        return _client(users, role)

    for canary in QUERY_CANARIES:
        _send(client, "get", url, dict.fromkeys(QUERY_KEYS, canary), role, tally)

    @settings(max_examples=EXAMPLES_PER_QUERY_STRING, deadline=None, derandomize=True,
              database=None, suppress_health_check=list(HealthCheck))
    @given(params=st.dictionaries(
        st.sampled_from(QUERY_KEYS),
        st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3)),
        min_size=1, max_size=5,
    ))
    def open_with(params):
        _send(client, "get", url, params, role, tally)

    open_with()


def _fuzz_bare_post(url: str, role: str | None, users: dict, tally: Tally) -> None:
    def client():
        return _client(users, role or "officer")

    for canary in CANARIES[:2] + CANARIES[4:5]:
        _send(client, "post", url, dict.fromkeys(POST_KEYS, canary), role, tally)

    @settings(max_examples=EXAMPLES_PER_QUERY_STRING, deadline=None, derandomize=True,
              database=None, suppress_health_check=list(HealthCheck))
    @given(params=st.dictionaries(
        st.sampled_from(POST_KEYS),
        st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3)),
        max_size=5,
    ))
    def post(params):
        _send(client, "post", url, params, role, tally)

    post()


# Not HTML pages: a hostile query string is tried on them once, not drawn
# again and again (a PDF takes seconds to render).
SLOW = ("pdf", "export", "public_json", "calendar_feed", "healthz")


@pytest.mark.django_db
@override_settings(
    CONSULTATION_PAGE_RATE="1000000/h",
    CONSULTATION_SUBMIT_RATE="1000000/h",
    SIGN_IN_RATE_PER_ADDRESS="1000000/h",
    SIGN_IN_RATE_PER_USERNAME="1000000/h",
    AXES_ENABLED=False,
)
def test_no_hostile_input_on_any_form_or_page_gives_a_server_error(demo_with_pdf, capsys):
    demo = demo_with_pdf
    started = time.monotonic()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
    tally = Tally()
    pages, forms = _open_pages(demo, users)
    journey = _walk_public_journeys(forms)
    assert len(journey) >= 3, [f.action for f in journey]
    forms += journey
    walked = time.monotonic() - started
    tally.pages, tally.forms = len(pages), len(forms)
    assert tally.pages >= 150 and tally.forms >= 100, (tally.pages, tally.forms)
    actions = {urlsplit(f.action).path for f in forms}
    for form in forms:
        _fuzz_form(form, users, tally)
    for name, url, role in pages:
        if any(word in name for word in SLOW):
            _send(lambda r=role: _client(users, r), "get", url,
                  {"page": "\x00", "a": "9" * 30, "b": ["1", "zz"]}, role, tally)
            continue
        _fuzz_query_string(url, role, users, tally)
        if urlsplit(url).path not in actions and name != "logout":
            _fuzz_bare_post(url, role, users, tally)
    seconds = time.monotonic() - started
    with capsys.disabled():
        print(
            f"\nfuzz: {tally.pages} pages, {tally.forms} forms, {tally.requests} requests, "
            f"{len(tally.failures)} server errors or reflections, {seconds:.0f} s "
            f"({walked:.0f} s opening the pages; {len(journey)} forms of the public journey)"
        )
        print("statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(tally.statuses.items())))
        slowest = sorted(tally.seconds.items(), key=lambda kv: -kv[1])[:8]
        print("slowest: " + ", ".join(f"{k} {v:.1f} s" for k, v in slowest))
    assert not tally.failures, "\n\n".join(tally.failures[:20])
    # The rate limits are raised above: the forms were exercised, not refused.
    assert tally.statuses[429] < tally.requests / 20, tally.statuses
