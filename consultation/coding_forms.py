"""Forms of the bulk coding and suggestion pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from consultation import suggestions as engine
from consultation.models import SuggestionRun
from safermk.forms import MAX_ID, IdField, PagedFilterForm, SearchField


class IdListField(forms.Field):
    """Ticked boxes whose values are ids (answers, suggestions): each must be
    a whole number; whether it names something of this consultation is the
    service's check."""

    # Rendered by hand as checkboxes; a visible widget so the error summary
    # lists its errors.
    widget = forms.CheckboxSelectMultiple
    default_error_messages = {"invalid": "Select from the list"}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> list[int]:
        if value in self.empty_values:
            return []
        if not isinstance(value, (list, tuple)):
            value = [value]
        ids = []
        for item in value:
            text = str(item).strip()
            if not (text.isascii() and text.isdigit()) or len(text) > 10 or not (
                1 <= int(text) <= MAX_ID
            ):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            ids.append(int(text))
        return ids


class TickField(forms.BooleanField):
    """A filter's checkbox: ticked, or left out of the filters (and of the
    query string) altogether."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        return True if super().to_python(value) else None


class CodingFilterForm(PagedFilterForm):
    q = SearchField(label="Search")
    question = IdField(label="Question")
    theme = IdField(label="Coded to theme")
    uncoded = TickField(label="Only answers with no theme")
    similar = IdField(label="Similar to answer")


class BulkCodingForm(forms.Form):
    SELECTED, ALL = "selected", "all"

    theme = forms.ModelChoiceField(
        queryset=None, label="Theme",
        error_messages={"required": "Choose a theme",
                        "invalid_choice": "Choose a theme from the list"},
    )
    action = forms.ChoiceField(
        label="Add or remove", widget=forms.RadioSelect,
        choices=[("add", "Add the theme"), ("remove", "Remove the theme")],
        error_messages={"required": "Choose whether to add or remove the theme",
                        "invalid_choice": "Choose whether to add or remove the theme"},
    )
    scope = forms.ChoiceField(
        choices=[(SELECTED, "The ticked answers"), (ALL, "Every matching answer")],
        error_messages={"required": "Choose which answers to code",
                        "invalid_choice": "Choose which answers to code"},
    )
    answers = IdListField(label="Answers")

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes

    def clean(self):
        data = super().clean()
        if data.get("scope") == self.SELECTED and "answers" not in self.errors and not data.get(
            "answers"
        ):
            self.add_error("answers", "Select at least one answer, or apply the theme to every "
                                      "matching answer")
        return data


class SuggestionRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="What should be suggested?", widget=forms.RadioSelect,
        choices=[
            (SuggestionRun.Kind.THEMES, "Themes: groups of answers that say similar things, "
                                        "with their key phrases"),
            (SuggestionRun.Kind.CODING, "Coding: themes for the answers nobody has coded yet, "
                                        "learnt from those you have coded"),
        ],
        error_messages={"required": "Choose what should be suggested",
                        "invalid_choice": "Choose what should be suggested"},
    )
    question = forms.ModelChoiceField(
        queryset=None, required=False, label="Question", empty_label="Every free-text question",
        error_messages={"invalid_choice": "Choose a question from the list"},
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = questions


class SuggestionFilterForm(PagedFilterForm):
    theme = IdField(label="Theme")
    confidence = forms.IntegerField(
        label="Lowest confidence (%)", required=False, min_value=0, max_value=100,
        error_messages={"invalid": "Enter a whole number from 0 to 100",
                        "min_value": "Enter a whole number from 0 to 100",
                        "max_value": "Enter a whole number from 0 to 100"},
    )
    decided = TickField(label="Show decided suggestions too")

    @property
    def lowest(self) -> float:
        value = self.filters.get("confidence")
        return engine.SUGGEST_THRESHOLD if value is None else value / 100


class SuggestionDecisionForm(forms.Form):
    SELECTED, ALL = "selected", "all"

    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("reject", "Reject")],
        error_messages={"required": "Choose to accept or reject",
                        "invalid_choice": "Choose to accept or reject"},
    )
    scope = forms.ChoiceField(
        choices=[(SELECTED, "The ticked suggestions"), (ALL, "Every suggestion shown")],
        error_messages={"required": "Choose which suggestions",
                        "invalid_choice": "Choose which suggestions"},
    )
    suggestions = IdListField(label="Suggestions")

    def clean(self):
        data = super().clean()
        if data.get("scope") == self.SELECTED and "suggestions" not in self.errors and not (
            data.get("suggestions")
        ):
            self.add_error("suggestions", "Select at least one suggestion")
        return data


class AdoptThemeForm(forms.Form):
    name = forms.CharField(
        label="Theme name", max_length=200,
        error_messages={"required": "Enter a name for the theme",
                        "max_length": "Enter a name of 200 characters or fewer"},
    )
