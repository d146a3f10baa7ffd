from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from django import forms

from milestones.models import (
    Milestone,
    MilestoneKind,
    MilestoneTemplate,
    ReviewPosition,
    SignOffOutcome,
)
from partnerships.models import Board
from safermk.forms import GovUKDateField, ModelMultipleIdField

# Plan and sign-off dates are this century's, so a slip of the year (2202
# for 2022) is caught.
THIS_CENTURY = {"min_year": 2000, "max_year": 2100}


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    return helper


class PlanGenerateForm(forms.Form):
    template = forms.ModelChoiceField(
        label="Plan template",
        queryset=MilestoneTemplate.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a plan template"},
    )
    adoption = GovUKDateField(
        **THIS_CENTURY,
        what="the target adoption date",
        label="Target adoption date",
        help_text="The date the partnership is to adopt the strategy, for example 24 3 2022. "
        "The plan is counted back from it.",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = MilestoneTemplate.objects.filter(
            partnership__isnull=True
        ) | MilestoneTemplate.objects.filter(partnership=partnership)
        default = self.fields["template"].queryset.filter(is_default=True).first()
        if default and not self.is_bound:
            self.initial.setdefault("template", default.pk)
        self.helper = _helper()


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "description", "kind", "board", "owner", "depends_on"]
        field_classes = {"depends_on": ModelMultipleIdField}
        labels = {"kind": "Kind of milestone", "depends_on": "Depends on"}
        help_texts = {
            "board": "The board this milestone goes to, if any.",
            "owner": "The person responsible for it.",
            "depends_on": "Milestones of this plan that must happen first.",
        }
        error_messages = {"title": {"required": "Enter a title"}}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "depends_on": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        milestone = self.instance
        self.fields["kind"].choices = MilestoneKind.choices
        self.fields["board"].queryset = Board.objects.filter(partnership=milestone.partnership_id)
        self.fields["board"].empty_label = "No board"
        self.fields["owner"].queryset = users
        self.fields["owner"].empty_label = "No owner"
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["depends_on"].queryset = Milestone.objects.filter(
            strategy_id=milestone.strategy_id, partnership_id=milestone.partnership_id
        ).exclude(pk=milestone.pk)
        self.fields["depends_on"].required = False
        self.helper = _helper()


class RescheduleForm(forms.Form):
    starts_on = GovUKDateField(
        **THIS_CENTURY,
        what="the start date",
        label="New start date",
        required=False,
        help_text="Only for a window, such as a consultation.",
    )
    due_date = GovUKDateField(what="the new due date", label="New due date", **THIS_CENTURY)
    reason = forms.CharField(
        label="Why is it moving?",
        help_text="Kept in the milestone's history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=200,
        error_messages={"required": "Enter the reason for the new date"},
    )

    def __init__(self, *args, window: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not window:
            del self.fields["starts_on"]
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        starts, due = data.get("starts_on"), data.get("due_date")
        if starts and due and starts > due:
            self.add_error("starts_on", "The start date must be on or before the due date")
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Milestone.Status.choices)


class SignOffRequestForm(forms.Form):
    subject = forms.ChoiceField(
        label="What is to be signed off?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what is to be signed off"},
    )
    first_board = forms.ModelChoiceField(
        label="First board",
        queryset=Board.objects.none(),
        empty_label="Choose a board",
        error_messages={"required": "Choose the first board"},
    )
    second_board = forms.ModelChoiceField(
        label="Then (optional)", queryset=Board.objects.none(), required=False,
        empty_label="No further board",
    )
    third_board = forms.ModelChoiceField(
        label="Then (optional)", queryset=Board.objects.none(), required=False,
        empty_label="No further board",
    )
    meeting_date = GovUKDateField(
        **THIS_CENTURY,
        what="the meeting date",
        label="Date of the first board's meeting (optional)",
        required=False,
    )
    note = forms.CharField(
        label="Note to the board (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        boards = Board.objects.filter(partnership=strategy.partnership_id)
        for name in ("first_board", "second_board", "third_board"):
            self.fields[name].queryset = boards
        self.assessments = {str(a.pk): a for a in strategy.assessments.all()}
        self.fields["subject"].choices = [("strategy", f"{strategy.title}, as it is now")] + [
            (f"assessment-{pk}", a.title) for pk, a in self.assessments.items()
        ]
        self.initial.setdefault("subject", "strategy")
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        boards = [data.get(n) for n in ("first_board", "second_board", "third_board")]
        boards = [b for b in boards if b is not None]
        if len({b.pk for b in boards}) != len(boards):
            self.add_error("second_board", "Choose each board only once")
        data["boards"] = boards
        subject = data.get("subject", "")
        data["assessment"] = (
            self.assessments.get(subject.removeprefix("assessment-"))
            if subject.startswith("assessment-") else None
        )
        return data


class ReviewForm(forms.Form):
    position = forms.ChoiceField(
        label="Do you support it?",
        choices=ReviewPosition.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you support it"},
    )
    comment = forms.CharField(
        label="Comments",
        required=False,
        help_text="Needed if you support it with comments or object.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    seen_hash = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("position") in (ReviewPosition.SUPPORT_WITH_COMMENTS, ReviewPosition.OBJECT):
            if not (data.get("comment") or "").strip():
                self.add_error("comment", "Enter your comments")
        return data


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="The board's decision",
        choices=SignOffOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the board's decision"},
    )
    conditions = forms.CharField(
        label="Conditions",
        required=False,
        help_text="Needed if it is approved with conditions.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decided_on = GovUKDateField(
        what="the date of the decision", label="Date of the decision", **THIS_CENTURY
    )
    minute_reference = forms.CharField(
        label="Minute reference",
        max_length=100,
        help_text="For example RB/2022/02/5.",
        error_messages={"required": "Enter the minute reference"},
    )
    seen_hash = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("outcome") == SignOffOutcome.APPROVED_WITH_CONDITIONS:
            if not (data.get("conditions") or "").strip():
                self.add_error("conditions", "Enter the conditions of the approval")
        return data
