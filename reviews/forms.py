from __future__ import annotations

from django import forms
from django.db import models

from partnerships.forms import _setup, organisation_choices
from partnerships.models import Partnership, PolicingRecommendation
from reviews.models import Action, AsbCaseReviewReturn, Recommendation, Review
from safermk.forms import GovUKDateField, PagedFilterForm
from strategy.models import Priority, Strategy


def _no_model_checks(form):
    """The service checks the record and says what to fix next to the field."""


def _https_urls(field, **kwargs):
    """Model URL fields as form fields that assume https:// (Django 6's default)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ReviewForm(forms.ModelForm):
    started_on = GovUKDateField(what="the date the review started", label="Started on",
                                help_text="For example, 14 3 2026.", min_year=2000, max_year=2100)
    sent_to_home_office_on = GovUKDateField(
        what="the date the review was sent to the Home Office",
        label="Sent to the Home Office on (Domestic Abuse Related Death Reviews only)",
        help_text="The date the report went to the Home Office for quality assurance.",
        required=False, min_year=2000, max_year=2100,
    )
    published_on = GovUKDateField(what="the date the review was published",
                                  label="Published on (optional)", required=False,
                                  min_year=2000, max_year=2100)
    published_url = forms.URLField(
        label="Link to the published report (optional)", required=False, max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://www.example.org/report"},
    )

    class Meta:
        model = Review
        formfield_callback = _https_urls
        fields = ["kind", "title", "started_on", "status", "sent_to_home_office_on",
                  "published_on", "published_url"]
        labels = {"kind": "What kind of review is it?", "status": "Where is the review now?"}
        widgets = {"kind": forms.RadioSelect, "status": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Review.Kind.choices
        self.fields["status"].choices = Review.Status.choices
        _setup(self, {"kind": "Choose the kind of review", "title": "Enter the review's name",
                      "status": "Choose where the review is now"})

    _post_clean = _no_model_checks


class RecommendationForm(forms.ModelForm):
    number = forms.IntegerField(
        label="Number", min_value=1, max_value=999,
        help_text="Its number in the review's report.",
        error_messages={"required": "Enter the recommendation's number",
                        "invalid": "Enter the number as digits, like 3",
                        "min_value": "Enter a number from 1 to 999",
                        "max_value": "Enter a number from 1 to 999"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )

    class Meta:
        model = Recommendation
        fields = ["number", "text"]
        labels = {"text": "Recommendation"}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _setup(self, {"text": "Enter the recommendation"})

    _post_clean = _no_model_checks


def source_choices(partnership: Partnership) -> list:
    """The partnership's recommendations, by review, for the action form."""
    groups: dict[str, list] = {}
    for rec in Recommendation.objects.filter(review__partnership=partnership).select_related(
        "review"
    ).order_by("-review__started_on", "review_id", "number"):
        groups.setdefault(rec.review.title, []).append(
            (f"r{rec.pk}", f"{rec.number}. {rec.text[:120]}")
        )
    policing = [
        (f"p{rec.pk}", f"{rec.received_on:%-d %B %Y}: {rec.recommendation[:120]}")
        for rec in PolicingRecommendation.objects.filter(partnership=partnership)
    ]
    if policing:
        groups["Recommendations from the local policing body"] = policing
    return [("", "Choose a recommendation"), *groups.items()]


def source_from(value: str, partnership: Partnership):
    """The recommendation a choice names, if it is the partnership's."""
    if not value or value[0] not in "rp" or not value[1:].isdigit() or len(value) > 12:
        return None
    if value[0] == "r":
        return Recommendation.objects.filter(
            pk=int(value[1:]), review__partnership=partnership).select_related("review").first()
    return PolicingRecommendation.objects.filter(pk=int(value[1:]),
                                                 partnership=partnership).first()


class ActionForm(forms.ModelForm):
    due_on = GovUKDateField(what="the date the action is due", label="Due by",
                            help_text="For example, 31 3 2027.", min_year=2000, max_year=2100)

    class Meta:
        model = Action
        fields = ["description", "owner", "due_on", "priority"]
        labels = {"description": "What will be done", "owner": "Which organisation owns it?",
                  "priority": "Strategy priority it relates to (optional)"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, partnership: Partnership, with_source: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        organisation_choices(self.fields["owner"], partnership)
        self.fields["owner"].empty_label = "Choose an organisation"
        priorities = self.fields["priority"]
        priorities.queryset = Priority.objects.filter(
            strategy__partnership=partnership
        ).exclude(strategy__status=Strategy.Status.SUPERSEDED).select_related("strategy")
        priorities.label_from_instance = lambda p: f"{p.title} ({p.strategy.title})"
        priorities.empty_label = "None"
        if with_source:
            self.fields = {
                "source": forms.ChoiceField(
                    label="Which recommendation does it answer?",
                    choices=source_choices(partnership),
                    error_messages={"required": "Choose the recommendation the action answers",
                                    "invalid_choice": "Choose one of the partnership's "
                                                      "recommendations"},
                ),
                **self.fields,
            }
        _setup(self, {"description": "Enter what will be done",
                      "owner": "Choose the organisation that owns the action"})
        self.fields["owner"].error_messages["invalid_choice"] = (
            "Choose one of the partnership's organisations")
        priorities.error_messages["invalid_choice"] = "Choose one of the partnership's priorities"

    def clean_source(self):
        source = source_from(self.cleaned_data["source"], self.partnership)
        if source is None:
            raise forms.ValidationError("Choose one of the partnership's recommendations")
        return source

    _post_clean = _no_model_checks


class ProgressForm(forms.ModelForm):
    done_on = GovUKDateField(what="the date the action was done",
                             label="Done on (when it is done)", required=False,
                             help_text="For example, 27 11 2026.", min_year=2000, max_year=2100)

    class Meta:
        model = Action
        fields = ["status", "done_on", "evidence"]
        labels = {"status": "Where is the action now?",
                  "evidence": "Evidence that it was done"}
        help_texts = {"evidence": "What shows it was done: a document, a meeting's minute, a "
                                  "changed procedure. Needed when it is done."}
        widgets = {"status": forms.RadioSelect, "evidence": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = Action.Status.choices
        _setup(self, {"status": "Choose where the action is now"})

    _post_clean = _no_model_checks


def _count(label: str, what: str, required: bool = True,
           help_text: str = "") -> forms.IntegerField:
    """A count, whose messages name what is counted (the error summary lists
    several at once)."""
    return forms.IntegerField(
        label=label, min_value=0, max_value=100_000, required=required, help_text=help_text,
        error_messages={
            "required": f"Enter the number of {what}, 0 if there were none",
            "invalid": f"Enter the number of {what} as a whole number, like 12",
            "min_value": f"The number of {what} must be 0 or more",
            "max_value": f"The number of {what} must be 100000 or less",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
    )


class AsbReturnForm(forms.ModelForm):
    year = forms.IntegerField(
        label="Year from 1 April", min_value=2000, max_value=2100,
        help_text="2025 for 1 April 2025 to 31 March 2026.",
        error_messages={"required": "Enter the year the figures are for",
                        "invalid": "Enter the year as 4 digits, like 2025",
                        "min_value": "Enter a year from 2014", "max_value": "Enter a real year"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
    )
    applications = _count("Applications for a case review received", "applications")
    threshold_not_met = _count("Applications that did not meet the threshold for a review",
                               "applications that did not meet the threshold")
    reviews_held = _count("Case reviews carried out", "case reviews carried out")
    reviews_with_recommendations = _count("Case reviews that resulted in recommendations",
                                          "reviews that resulted in recommendations")
    referred_to_policing_body = _count(
        "Decisions that the threshold was not met referred to the local policing body "
        "(optional)", "decisions referred to the local policing body", required=False,
        help_text="Where an applicant asked the local policing body to review the decision. "
                  "Leave empty if this did not apply in the year.",
    )
    publish_on = GovUKDateField(what="the date the figures are published", label="Publish on",
                                help_text="They appear on the partnership's public pages and in "
                                          "its open data from this date.",
                                min_year=2000, max_year=2100)

    class Meta:
        model = AsbCaseReviewReturn
        fields = ["year", "applications", "threshold_not_met", "reviews_held",
                  "reviews_with_recommendations", "referred_to_policing_body", "publish_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _setup(self)

    _post_clean = _no_model_checks


STATE_CHOICES = [
    ("", "Any"), ("open", "Not done"), ("overdue", "Overdue"),
    *Action.Status.choices,
]
SOURCE_CHOICES = [("", "Any"), *Review.Kind.choices, ("policing", "Local policing body")]


class ActionFilterForm(PagedFilterForm):
    state = forms.ChoiceField(label="Status", required=False, choices=STATE_CHOICES)
    owner = forms.TypedChoiceField(label="Owner", required=False, coerce=int,
                                   choices=[("", "Any organisation")], empty_value=None)
    source = forms.ChoiceField(label="From", required=False, choices=SOURCE_CHOICES)
