"""Forms of the public journey and of the officer pages.

Question pages are built from the questions of one section. Their markup is
our own GOV.UK template (consultation/includes/question.html) because a
safety question is two radios groups and a ranking is a set of selects
under one legend, which field-by-field rendering cannot group.
"""

from __future__ import annotations

import datetime as dt
import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Fieldset, Layout, Size
from django import forms
from django.core.validators import MaxValueValidator

from consultation.models import (
    Audience,
    Channel,
    Consultation,
    ConsulteeRecord,
    EqualityResponse,
    Question,
    Response,
    Section,
    Theme,
)
from safermk.forms import (
    FilterForm,
    GovUKDateField,
    IdField,
    LongChoiceField,
    ModelMultipleIdField,
    PagedFilterForm,
    SearchField,
)

HONEYPOT = "website"


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has its own token
    return helper


# Addresses the consultation pages use themselves.
RESERVED_SLUGS = {"manage", "your-response", "new"}


def consultation_slug(data: dict) -> str:
    """The web address name of a new consultation: the one typed, or one made
    from the title. Names are unique on the installation, so one made from a
    title another partnership has used starts with this partnership's own
    name, and two partnerships may run consultations of the same title."""
    from django.utils.text import slugify

    from strategy.forms import free_slug

    typed = data.get("slug") or ""
    slug = typed or slugify(data.get("title") or "")[:80].strip("-")
    if not slug:
        raise forms.ValidationError("Enter a web address, or a title to make one from")
    if slug in RESERVED_SLUGS:
        raise forms.ValidationError("That web address is used by the site: choose another")
    if not Consultation.objects.filter(slug=slug).exists():
        return slug
    if typed:
        raise forms.ValidationError("Another consultation uses this web address: choose another")
    strategy = data.get("strategy")
    prefix = strategy.partnership.slug if strategy is not None else "consultation"
    return free_slug(Consultation.objects.all(), slugify(f"{prefix}-{slug}")[:90])


class HoneypotMixin:
    """A field people never see (consultation/includes/honeypot.html);
    automated form-fillers tend to fill it. Not a form field, so it never
    shows in error summaries."""

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())


# Public journey ------------------------------------------------------------


class StartForm(HoneypotMixin, forms.Form):
    audience = forms.ChoiceField(
        label="How are you responding?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you are responding"},
    )
    organisation_name = forms.CharField(
        label="If you are responding for an organisation, what is it called? (optional)",
        required=False,
        max_length=200,
    )
    consent = forms.BooleanField(
        label="I have read the privacy notice and agree to my answers being used as it says",
        error_messages={"required": "Confirm that you have read the privacy notice"},
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (Audience.PUBLIC, "As a member of the public"),
            (Audience.STAKEHOLDER, "For an organisation or group"),
        ]
        self.fields["audience"].choices = [
            c for c in choices if c[0] in consultation.adult_audiences
        ]
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("audience") != Audience.STAKEHOLDER:
            data["organisation_name"] = ""
        return data


class SchoolStartForm(HoneypotMixin, forms.Form):
    code = forms.CharField(
        label="Class code",
        help_text="Your teacher will give you the code. It has 6 letters and numbers.",
        max_length=12,
        error_messages={"required": "Enter the class code your teacher gave you"},
    )
    age_band = forms.ChoiceField(
        label="How old are you?",
        choices=Response.AgeBand.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how old you are"},
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.class_code = None
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-10"}
        )
        self.helper = _helper()

    def clean_code(self):
        from consultation.services import class_code_find

        code = self.cleaned_data["code"]
        self.class_code = class_code_find(consultation=self.consultation, code=code)
        if self.class_code is None:
            raise forms.ValidationError("That class code is not right. Check it with your teacher")
        return self.class_code.code


class SchoolConsentForm(HoneypotMixin, forms.Form):
    """The pupils' privacy notice: they go on only if they tick the box, and
    the tick is what their response records as consent."""

    consent = forms.BooleanField(
        label="I have read this and I am happy to answer the questions",
        error_messages={"required": "Tick the box if you are happy to answer the questions"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class SectionForm(forms.Form):
    """The questions of one section. `answers()` gives them in the shape
    consultation.services.response_submit stores; `from_answers` fills the
    form again from the session."""

    def __init__(
        self,
        *args,
        questions: list[Question],
        priorities: list[dict],
        all_optional: bool = False,
        prefix_question: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.priorities = priorities
        self.all_optional = all_optional
        for q in questions:
            required = q.required and not all_optional
            name = f"q{q.pk}"
            if q.kind in (Question.Kind.SINGLE, Question.Kind.SCALE):
                self.fields[name] = forms.ChoiceField(
                    label=q.text, required=required, choices=q.option_pairs(),
                    widget=forms.RadioSelect,
                    error_messages={"required": f"Select an answer to “{q.text}”",
                                    "invalid_choice": "Select one of the options"},
                )
            elif q.kind == Question.Kind.MULTIPLE:
                self.fields[name] = forms.MultipleChoiceField(
                    label=q.text, required=required, choices=q.option_pairs(),
                    widget=forms.CheckboxSelectMultiple,
                    error_messages={"required": f"Select at least one answer to “{q.text}”",
                                    "invalid_choice": "Select from the options"},
                )
            elif q.kind == Question.Kind.TEXT:
                self.fields[name] = forms.CharField(
                    label=q.text, required=required, max_length=q.max_length,
                    widget=forms.Textarea(attrs={"rows": 5}),
                    error_messages={
                        "required": f"Enter your answer to “{q.text}”",
                        "max_length": f"Your answer must be {q.max_length} characters or fewer",
                    },
                )
            elif q.kind == Question.Kind.SAFETY:
                for part, label in Question.SAFETY_PARTS:
                    self.fields[f"{name}_{part}"] = forms.ChoiceField(
                        label=f"{label}", required=required, choices=q.option_pairs(),
                        widget=forms.RadioSelect,
                        error_messages={
                            "required": f"Select how safe you feel {label.lower()}",
                            "invalid_choice": "Select one of the options",
                        },
                    )
            elif q.kind == Question.Kind.RANKING:
                ranks = [("", "Not ranked")] + [
                    (str(i), str(i)) for i in range(1, len(priorities) + 1)
                ]
                for p in priorities:
                    self.fields[f"{name}_r{p['id']}"] = forms.ChoiceField(
                        label=p["title"], required=False, choices=ranks,
                        error_messages={"invalid_choice": "Choose a number from the list"},
                    )

    @classmethod
    def initial_from(cls, questions: list[Question], answers: dict) -> dict:
        initial = {}
        for q in questions:
            value = answers.get(str(q.pk))
            if value in (None, "", [], {}):
                continue
            name = f"q{q.pk}"
            if q.kind == Question.Kind.SAFETY:
                for part, _label in Question.SAFETY_PARTS:
                    initial[f"{name}_{part}"] = value.get(part, "")
            elif q.kind == Question.Kind.RANKING:
                for pid, rank in value.items():
                    initial[f"{name}_r{pid}"] = str(rank)
            else:
                initial[name] = value
        return initial

    def clean(self):
        data = super().clean()
        for q in self.questions:
            if q.kind != Question.Kind.RANKING:
                continue
            names = [f"q{q.pk}_r{p['id']}" for p in self.priorities]
            given = [data.get(n) for n in names if data.get(n)]
            if len(given) != len(set(given)):
                self.add_error(names[0], "Give each priority a different number")
            elif q.required and not self.all_optional and len(given) != len(names):
                self.add_error(names[0], "Give every priority a number")
        return data

    def answers(self) -> dict:
        data = self.cleaned_data
        result: dict = {}
        for q in self.questions:
            name = f"q{q.pk}"
            if q.kind == Question.Kind.SAFETY:
                value = {
                    part: data.get(f"{name}_{part}") or "" for part, _ in Question.SAFETY_PARTS
                }
                if any(value.values()):
                    result[str(q.pk)] = value
            elif q.kind == Question.Kind.RANKING:
                value = {
                    str(p["id"]): int(data[f"{name}_r{p['id']}"])
                    for p in self.priorities
                    if data.get(f"{name}_r{p['id']}")
                }
                if value:
                    result[str(q.pk)] = value
            else:
                value = data.get(name)
                if value not in (None, "", []):
                    result[str(q.pk)] = value
        return result

    def groups(self) -> list[dict]:
        """What the template needs for each question, with current values and errors."""
        groups = []
        for q in self.questions:
            name = f"q{q.pk}"
            if q.kind == Question.Kind.SAFETY:
                parts = [self[f"{name}_{part}"] for part, _ in Question.SAFETY_PARTS]
                groups.append({"question": q, "kind": q.kind, "parts": [_radios(b) for b in parts]})
            elif q.kind == Question.Kind.RANKING:
                selects = [self[f"{name}_r{p['id']}"] for p in self.priorities]
                if not selects:
                    continue
                errors = [e for b in selects for e in b.errors]
                groups.append({
                    "question": q, "kind": q.kind, "selects": selects, "errors": errors,
                    "id": selects[0].auto_id,
                })
            elif q.kind == Question.Kind.TEXT:
                groups.append({"question": q, "kind": q.kind, "field": self[name]})
            else:
                groups.append({"question": q, "kind": q.kind, "radios": _radios(self[name])})
        return groups


def _radios(bound) -> dict:
    value = bound.value()
    chosen = set(value) if isinstance(value, list | tuple) else {value}
    options = []
    for index, (val, label) in enumerate(bound.field.choices):
        options.append({
            "id": bound.auto_id if index == 0 else f"{bound.auto_id}_{index}",
            "value": val,
            "label": label,
            "checked": str(val) in {str(c) for c in chosen if c not in (None, "")},
        })
    return {
        "field": bound,
        "name": bound.html_name,
        "id": bound.auto_id,
        "label": bound.label,
        "options": options,
        "errors": bound.errors,
        "multiple": isinstance(bound.field, forms.MultipleChoiceField),
    }


class CommentsForm(forms.Form):
    def __init__(self, *args, priorities: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = [(f"priority:{p['id']}", p["title"]) for p in priorities]
        self.targets.append(("general", "The draft strategy as a whole"))
        for index, (_ref, label) in enumerate(self.targets):
            self.fields[f"c{index}"] = forms.CharField(
                label=label, required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"max_length": "Your comment must be 2000 characters or fewer"},
            )
        self.helper = _helper()

    @classmethod
    def initial_from(cls, priorities: list[dict], comments: dict) -> dict:
        refs = [f"priority:{p['id']}" for p in priorities] + ["general"]
        return {f"c{i}": comments.get(ref, "") for i, ref in enumerate(refs)}

    def comments(self) -> dict:
        return {
            ref: self.cleaned_data[f"c{i}"].strip()
            for i, (ref, _label) in enumerate(self.targets)
            if self.cleaned_data.get(f"c{i}", "").strip()
        }


POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


class EqualityForm(forms.ModelForm):
    class Meta:
        model = EqualityResponse
        fields = ["age_band", "sex", "ethnicity", "disability", "postcode_district"]
        labels = {
            "age_band": "What is your age?",
            "sex": "What is your sex?",
            "ethnicity": "What is your ethnic group?",
            "disability": "Do you consider yourself to have a disability?",
            "postcode_district": "The first part of your postcode (optional)",
        }
        help_texts = {"postcode_district": "For example, MK9. Do not enter your full postcode."}
        widgets = {
            "age_band": forms.RadioSelect,
            "sex": forms.RadioSelect,
            "ethnicity": forms.RadioSelect,
            "disability": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("age_band", "sex", "ethnicity", "disability"):
            field = self.fields[name]
            field.required = False
            # No empty "---------" radio: leaving the question blank is the way to skip it.
            field.choices = [c for c in field.choices if c[0]]
        self.fields["postcode_district"].widget.attrs.update(
            {"class": "govuk-input--width-5", "autocomplete": "off"}
        )
        self.helper = _helper()

    def clean_postcode_district(self):
        value = "".join(self.cleaned_data["postcode_district"].split()).upper()
        if value and not POSTCODE_DISTRICT.match(value):
            raise forms.ValidationError("Enter the first part of your postcode, like MK9")
        return value

    def equality(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in self._meta.fields}


EMAIL_ERRORS = {
    "required": "Enter your e-mail address",
    "invalid": "Enter an e-mail address like name@example.org",
    "max_length": "Enter an e-mail address of 254 characters or fewer",
}


class SubmitForm(HoneypotMixin, forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    # Not stored with the response: kept only until the receipt is sent.
    receipt_email = forms.EmailField(
        label="E-mail address for a receipt (optional)", required=False, max_length=254,
        error_messages=EMAIL_ERRORS,
    )


class SavedLinkEmailForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label="Your e-mail address", max_length=254, error_messages=EMAIL_ERRORS,
        help_text="We send the link and then delete your address.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})


# Officer pages -------------------------------------------------------------


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if value and hasattr(value, "strftime"):
            from django.utils import timezone

            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


class ConsultationForm(forms.ModelForm):
    audiences = forms.MultipleChoiceField(
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Who do you want to hear from?",
        error_messages={"required": "Select at least one audience"},
    )
    open_now = forms.BooleanField(
        label="Open it as soon as it is scheduled",
        required=False,
        help_text="Instead of an opening date: it opens when you freeze the draft and "
        "schedule it.",
    )

    class Meta:
        model = Consultation
        fields = [
            "strategy", "title", "slug", "summary", "background", "data_use", "opens_at",
            "closes_at", "holidays_note", "audiences", "lead_officer", "retention_days",
        ]
        labels = {
            "slug": "Web address",
            "opens_at": "Opens",
            "closes_at": "Closes",
            "retention_days": "Keep free text and equality data for (days after closing)",
        }
        help_texts = {
            "slug": "Lower-case letters, numbers and hyphens, for example strategy-2022. "
            "Leave blank to make one from the title.",
            "closes_at": "Leave blank for the usual 12 weeks.",
        }
        widgets = {
            "opens_at": DateTimeInput(format="%Y-%m-%dT%H:%M"),
            "closes_at": DateTimeInput(format="%Y-%m-%dT%H:%M"),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "background": forms.Textarea(attrs={"rows": 6}),
            "data_use": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": "Enter a title"},
            "slug": {"required": "Enter a web address", "unique": "That web address is taken"},
            "summary": {"required": "Enter a summary"},
            "opens_at": {"required": "Enter when the consultation opens",
                         "invalid": "Enter a real date and time"},
            "closes_at": {"invalid": "Enter a real date and time"},
            "strategy": {"required": "Choose the strategy to consult on"},
        }

    def __init__(self, *args, strategies, officers, editing: bool = False, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = strategies
        self.fields["lead_officer"].queryset = officers
        self.fields["lead_officer"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["closes_at"].required = False
        if editing:
            del self.fields["strategy"]
            del self.fields["slug"]
        else:
            self.fields["slug"].required = False
        if self.instance.opened_at:
            del self.fields["open_now"]
        else:
            # "Open now" can stand for the opening date (checked in clean()).
            self.fields["opens_at"].required = False
            # Offered right after the opening date it replaces.
            names = [n for n in self.fields if n != "open_now"]
            after = names.index("opens_at") + 1
            self.order_fields([*names[:after], "open_now", *names[after:]])
        # Dates as they were before this edit: an open consultation keeps the
        # opening it had, which has passed by now.
        self.saved = (
            (self.instance.opens_at, self.instance.closes_at) if self.instance.pk else (None, None)
        )
        self.now = now
        self.helper = _helper()

    def _now(self):
        from django.utils import timezone

        return self.now or timezone.now()

    def clean_slug(self):
        return consultation_slug(self.cleaned_data)

    def clean(self):
        from consultation.services import default_closes_at, live_date_problems

        data = super().clean()
        if data.get("open_now"):
            if "opens_at" in self.errors:
                del self.errors["opens_at"]
            data["opens_at"] = self._now().replace(second=0, microsecond=0)
        elif not data.get("opens_at") and "opens_at" not in self.errors:
            self.add_error("opens_at", self.fields["opens_at"].error_messages["required"])
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at:
            problems = live_date_problems(
                opens_at=opens_at, closes_at=closes_at or default_closes_at(opens_at),
                saved_opens_at=self.saved[0], saved_closes_at=self.saved[1],
                now=self._now() - dt.timedelta(minutes=1) if data.get("open_now") else self.now,
            )
            for name, message in problems.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, message)
        return data


class HistoricalConsultationForm(forms.Form):
    """A consultation that already happened, as the partnership records it:
    its real dates, how many responded and what they said."""

    strategy = forms.ModelChoiceField(
        label="Strategy it was about", queryset=None,
        error_messages={"required": "Choose the strategy the consultation was about",
                        "invalid_choice": "Choose a strategy from the list"},
    )
    title = forms.CharField(label="Title", max_length=200,
                            error_messages={"required": "Enter a title"})
    slug = forms.SlugField(
        label="Web address", max_length=100,
        required=False,
        help_text="Lower-case letters, numbers and hyphens, for example consultation-2022. "
        "Leave blank to make one from the title.",
        error_messages={"invalid": "Use only lower-case letters, numbers and hyphens"},
    )
    summary = forms.CharField(
        label="What it was about", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the consultation was about"},
    )
    background = forms.CharField(
        label="Background information people were given (optional)", required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    opens_on = GovUKDateField(what="the opening date", label="Opened on",
                              help_text="For example, 3 10 2022.", min_year=2000, max_year=2100)
    closes_on = GovUKDateField(what="the closing date", label="Closed on",
                               help_text="For example, 23 12 2022.", min_year=2000,
                               max_year=2100)
    audiences = forms.MultipleChoiceField(
        choices=Audience.choices, widget=forms.CheckboxSelectMultiple,
        label="Who was asked?",
        error_messages={"required": "Select at least one audience",
                        "invalid_choice": "Select from the list"},
    )
    responses_online = forms.IntegerField(label="Responses online", required=False, min_value=0)
    responses_paper = forms.IntegerField(label="Paper forms", required=False, min_value=0)
    responses_event = forms.IntegerField(label="At events or drop-ins", required=False,
                                         min_value=0)
    responses_school = forms.IntegerField(label="From schools", required=False, min_value=0)
    findings = forms.CharField(
        label="Summary of the results",
        help_text="The key findings, as the partnership reported them at the time.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter a summary of the results"},
    )
    headline_figures = forms.CharField(
        label="Headline figures (optional)", required=False,
        help_text="One a line, as a sentence, for example: 78% agreed with the draft "
        "priorities.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    lead_officer = forms.ModelChoiceField(
        label="Lead officer (optional)", queryset=None, required=False,
        error_messages={"invalid_choice": "Choose an officer from the list"},
    )

    COUNTS = {
        "responses_online": Channel.ONLINE,
        "responses_paper": Channel.PAPER,
        "responses_event": Channel.EVENT,
        "responses_school": Channel.SCHOOL,
    }

    def __init__(self, *args, strategies, officers, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = strategies
        self.fields["lead_officer"].queryset = officers
        self.fields["lead_officer"].label_from_instance = lambda u: u.get_full_name() or u.username
        for name in self.COUNTS:
            field = self.fields[name]
            field.max_value = Consultation.MAX_RECORDED_RESPONSES
            field.validators.append(MaxValueValidator(Consultation.MAX_RECORDED_RESPONSES))
            # GOV.UK asks for a text box with a numeric keyboard, not type=number.
            field.widget = forms.TextInput(attrs={
                "class": "govuk-input--width-10", "inputmode": "numeric", "spellcheck": "false",
            })
            field.error_messages.update({
                "invalid": "Enter a whole number, like 120",
                "min_value": "Enter 0 or more",
                "max_value": f"Enter {Consultation.MAX_RECORDED_RESPONSES:,} or fewer",
            })
        if editing:
            del self.fields["strategy"]
            del self.fields["slug"]
        self.helper = _helper()
        about = ("strategy", "title", "slug", "summary", "background", "opens_on", "closes_on",
                 "audiences")
        self.helper.layout = Layout(
            *[name for name in about if name in self.fields],
            Fieldset(*self.COUNTS, legend="How many responded", legend_size=Size.MEDIUM),
            "findings", "headline_figures", "lead_officer",
        )

    @classmethod
    def initial_for(cls, consultation: Consultation) -> dict:
        from django.utils import timezone

        recorded = consultation.recorded_responses or {}
        return {
            "title": consultation.title, "summary": consultation.summary,
            "background": consultation.background,
            "opens_on": timezone.localdate(consultation.opens_at),
            "closes_on": timezone.localdate(consultation.closes_at),
            "audiences": consultation.audiences, "findings": consultation.findings,
            "headline_figures": "\n".join(consultation.headline_figures or []),
            "lead_officer": consultation.lead_officer_id,
            **{name: recorded.get(channel, 0) for name, channel in cls.COUNTS.items()},
        }

    def clean_slug(self):
        return consultation_slug(self.cleaned_data)

    def clean(self):
        data = super().clean()
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on and closes_on <= opens_on:
            self.add_error("closes_on", "The closing date must be after the opening date")
        return data

    def record(self) -> dict:
        """The fields as consultation_record_past and _update take them."""
        data = self.cleaned_data
        return {
            "title": data["title"], "summary": data["summary"],
            "background": data["background"], "opens_on": data["opens_on"],
            "closes_on": data["closes_on"], "audiences": data["audiences"],
            "lead_officer": data["lead_officer"], "findings": data["findings"],
            "headline_figures": [
                line.strip() for line in data["headline_figures"].splitlines() if line.strip()
            ],
            "responses": {
                channel: data[name] for name, channel in self.COUNTS.items() if data.get(name)
            },
        }


class SectionEditForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "intro", "audience"]
        labels = {"intro": "Introduction (optional)", "audience": "Who is this section for?"}
        widgets = {"intro": forms.Textarea(attrs={"rows": 3}), "audience": forms.RadioSelect}
        error_messages = {"title": {"required": "Enter a title for the section"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class QuestionEditForm(forms.ModelForm):
    choices_text = forms.CharField(
        label="Options (one per line)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Only for single and multiple choice questions.",
    )

    class Meta:
        model = Question
        fields = ["section", "kind", "text", "hint", "required", "max_length"]
        labels = {
            "kind": "Type of question",
            "text": "Question",
            "hint": "Hint (optional)",
            "required": "People must answer this question",
            "max_length": "Longest free-text answer (characters)",
        }
        widgets = {"kind": forms.RadioSelect}
        error_messages = {"text": {"required": "Enter the question"}}

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections
        self.fields["section"].empty_label = None
        self.fields["kind"].choices = Question.Kind.choices
        self.fields["kind"].error_messages["required"] = "Choose the type of question"
        if self.instance.pk:
            self.fields["choices_text"].initial = "\n".join(self.instance.choices)
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        data["choices"] = [
            line.strip() for line in data.get("choices_text", "").splitlines() if line.strip()
        ]
        self.instance.choices = data["choices"]
        return data

    def _update_errors(self, errors):
        # The model checks `choices`; the form shows them as `choices_text`.
        if hasattr(errors, "error_dict") and "choices" in errors.error_dict:
            errors.error_dict["choices_text"] = errors.error_dict.pop("choices")
        super()._update_errors(errors)


class ThemeNameForm(forms.Form):
    name = forms.CharField(
        label="Theme", max_length=200, error_messages={"required": "Enter a name for the theme"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "you_said", "we_did", "priority", "why_not"]
        labels = {
            "you_said": "You said: what people told us",
            "we_did": "We did: what the partnership did",
            "priority": "The priority this changed or added (if any)",
            "why_not": "If the strategy did not change: why not",
        }
        widgets = {
            "you_said": forms.Textarea(attrs={"rows": 3}),
            "we_did": forms.Textarea(attrs={"rows": 3}),
            "why_not": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {"name": {"required": "Enter a name for the theme"}}

    def __init__(self, *args, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = priorities
        self.fields["priority"].empty_label = "No priority: the strategy did not change"
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("we_did", "").strip() and not data.get("priority") and not data.get(
            "why_not", ""
        ).strip():
            self.add_error("why_not", "Choose the priority that changed, or say why it did not")
        return data


class ClassCodeForm(forms.Form):
    school = forms.CharField(
        label="School", max_length=200, error_messages={"required": "Enter the school's name"}
    )
    class_name = forms.CharField(label="Class or year group (optional)", max_length=100,
                                 required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class PaperEntryForm(forms.Form):
    """The details an officer keys in with a paper or event response."""

    channel = forms.ChoiceField(
        label="How did the response reach you?",
        choices=[(Channel.PAPER, Channel.PAPER.label), (Channel.EVENT, Channel.EVENT.label),
                 (Channel.SCHOOL, "School (paper)")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the response reached you"},
    )
    received_on = forms.DateField(
        label="Date received",
        help_text="For example, 27 3 2022 or 2022-03-27.",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
        error_messages={"required": "Enter the date the response was received",
                        "invalid": "Enter a real date, like 27 3 2022"},
    )
    consent = forms.ChoiceField(
        label="Did the respondent agree to the privacy notice?",
        help_text="What the paper form or the event record shows. Only a ticked box is "
        "recorded as agreement.",
        choices=[("yes", "Yes, they ticked or signed it"), ("no", "No, it was left blank"),
                 ("not_asked", "The form did not ask")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the respondent agreed to the privacy notice"},
    )
    organisation_name = forms.CharField(
        label="Organisation (stakeholders only, optional)", required=False, max_length=200
    )
    class_code = forms.ModelChoiceField(
        label="School class (young people only)", queryset=None, required=False,
        empty_label="Not from a school class",
    )
    age_band = forms.ChoiceField(
        label="Age band (young people only)",
        choices=[("", "Not given")] + list(Response.AgeBand.choices), required=False,
    )

    def __init__(self, *args, consultation: Consultation, audience: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["class_code"].queryset = consultation.class_codes.all()
        if audience != Audience.YOUNG_PEOPLE:
            del self.fields["class_code"]
            del self.fields["age_band"]
        if audience != Audience.STAKEHOLDER:
            del self.fields["organisation_name"]
        self.fields["received_on"].widget.attrs.update({"class": "govuk-input--width-10"})
        self.helper = _helper()

    def clean_consent(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["consent"])


class AnswerCodingForm(forms.Form):
    themes = ModelMultipleIdField(
        queryset=Theme.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes


def equality_group_choices() -> list[tuple[str, str]]:
    """Every equality answer as a filter value "field:value"."""
    groups = []
    for name in EqualityResponse.FIELDS:
        field = EqualityResponse._meta.get_field(name)
        for value, label in field.choices:
            groups.append((f"{name}:{value}", f"{field.verbose_name.capitalize()}: {label}"))
    return groups


class FreeTextFilterForm(FilterForm):
    q = SearchField(label="Search")
    question = IdField(label="Question")
    audience = forms.ChoiceField(label="Audience", required=False,
                                 choices=[("", "Everyone"), *Audience.choices],
                                 error_messages={"invalid_choice": "Choose from the list"})
    group = forms.ChoiceField(label="Equality group", required=False,
                              choices=[("", "Any"), *equality_group_choices()],
                              error_messages={"invalid_choice": "Choose from the list"})
    theme = IdField(label="Theme")

    def equality(self) -> tuple[str, str]:
        field, _, value = self.filters.get("group", "").partition(":")
        return field, value


class CommentFilterForm(FilterForm):
    q = SearchField(label="Search comments")
    target = forms.CharField(label="Part of the draft", required=False, max_length=50)


# Respondents' requests -----------------------------------------------------


class RightsRequestForm(HoneypotMixin, forms.Form):
    reference = forms.CharField(
        label="Your reference number",
        help_text="It was shown when you sent your response, like AB-7Q4K-92XD.",
        max_length=40,
        error_messages={"required": "Enter your reference number",
                        "max_length": "Enter the reference number as it was shown, like "
                                      "AB-7Q4K-92XD"},
    )
    kind = forms.ChoiceField(
        label="What would you like us to do?",
        widget=forms.RadioSelect,
        choices=[
            ("copy", "Send me a copy of my response"),
            ("erasure", "Delete my response"),
        ],
        error_messages={"required": "Select what you would like us to do",
                        "invalid_choice": "Select what you would like us to do"},
    )
    email = forms.EmailField(
        label="Your e-mail address",
        help_text="We reply here. We keep it only to answer this request.",
        max_length=254,
        error_messages={"required": "Enter the e-mail address we should reply to",
                        "invalid": "Enter an e-mail address like name@example.org"},
    )
    message = forms.CharField(
        label="Anything else we should know (optional)",
        help_text="For example, what you wrote, so we can be sure the response is yours.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Write 2,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_reference(self):
        from consultation.rights import reference_is_well_formed

        value = self.cleaned_data["reference"]
        if not reference_is_well_formed(value):
            raise forms.ValidationError(
                "Enter the reference number as it was shown, like AB-7Q4K-92XD"
            )
        return value


class RightsDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="What will you do?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you will do",
                        "invalid_choice": "Select what you will do"},
    )
    reason = forms.CharField(
        label="Reason for refusing",
        help_text="Sent to the person by e-mail. Needed only if you refuse.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Write 2,000 characters or fewer"},
    )

    LABELS = {
        "copy_sent": "Send the copy to the e-mail address given",
        "erased": "Delete the response's free text, comments and answers about the person, "
                  "keeping its other answers in the counts",
        "refused": "Refuse, and tell the person why",
    }

    def __init__(self, *args, choices: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(c, self.LABELS[c]) for c in choices]
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refused" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter the reason for refusing; it is sent to the person")
        return data


class PublicListForm(PagedFilterForm):
    """The filters of the public list of consultations. The view adds the
    partnerships to choose from: `choices={"partnership": [(slug, name)]}`."""

    ALL, OPEN, COMING, CLOSED = "all", "open", "coming", "closed"

    q = SearchField(label="Search")
    status = forms.ChoiceField(
        label="Status", required=False,
        choices=[(ALL, "All"), (OPEN, "Open now"), (COMING, "Coming soon"), (CLOSED, "Closed")],
        error_messages={"invalid_choice": "Choose from the list"},
    )
    partnership = LongChoiceField(label="Partnership")
    audience = forms.ChoiceField(
        label="Who it is for", required=False, choices=[("", "Anyone"), *Audience.choices],
        error_messages={"invalid_choice": "Choose from the list"},
    )

    @property
    def chosen_status(self) -> str:
        return self.filters.get("status", self.ALL)


class ConsulteeRecordForm(forms.Form):
    """An entry in a strategy's log of required consultees."""

    consultee_kind = forms.ChoiceField(
        label="Which consultee", widget=forms.RadioSelect,
        error_messages={"required": "Choose which consultee was consulted",
                        "invalid_choice": "Choose one of the consultees listed"},
    )
    consultee = forms.CharField(
        label="Who was consulted", max_length=200,
        help_text="The organisation, and the person or role if known.",
        error_messages={"required": "Enter who was consulted"},
    )
    consulted_on = GovUKDateField(what="the date consulted", label="Date consulted",
                                  help_text="For example, 14 10 2026.", min_year=2000,
                                  max_year=2100)
    method = forms.ChoiceField(
        label="How", widget=forms.RadioSelect,
        choices=ConsulteeRecord.Method.choices,
        error_messages={"required": "Choose how they were consulted",
                        "invalid_choice": "Choose how they were consulted"},
    )
    evidence = forms.CharField(
        label="Evidence and notes", max_length=4000,
        help_text="What they said, and where the record is kept (minutes, letter reference).",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the evidence that they were consulted"},
    )

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultee_kind"].choices = kinds
        self.helper = _helper()
