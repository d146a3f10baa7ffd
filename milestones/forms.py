from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from django import forms

from milestones.models import (
    Milestone,
    MilestoneKind,
    MilestoneTemplate,
    MilestoneTemplateStep,
    ReviewPosition,
    SignOffOutcome,
)
from partnerships.models import Board, Organisation
from safermk.forms import GovUKDateField, ModelMultipleIdField
from strategy.duties import authority_label

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
        self.fields["template"].queryset = MilestoneTemplate.objects.available_to(partnership)
        default = MilestoneTemplate.objects.default_for(partnership)
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


class DoneOnForm(forms.Form):
    """A milestone done before it was marked done here."""

    completed_on = GovUKDateField(
        what="the date it was done", label="Date it was done",
        help_text="For example, 12 7 2022.", **THIS_CENTURY,
    )
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=100,
        help_text="Kept in the milestone's history, for example where it is minuted.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


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

    signed_by = forms.ChoiceField(
        label="Who signs off the strategy?",
        widget=forms.RadioSelect,
        required=False,
    )
    authorities = ModelMultipleIdField(
        label="The specified authorities",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="One organisation of each kind signs for it.",
    )

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        boards = Board.objects.filter(partnership=strategy.partnership_id)
        for name in ("first_board", "second_board", "third_board"):
            self.fields[name].queryset = boards
        kinds = strategy.profile.authority_kinds
        if kinds:
            # A kind of strategy the law has each named authority sign off.
            names = ", ".join(strategy.profile.authority_labels)
            self.fields["signed_by"].choices = [
                ("authorities", f"Each specified authority, one after another, at the first "
                 f"board: {names}"),
                ("boards", "The boards, in turn"),
            ]
            self.fields["signed_by"].help_text = (
                "Its representative on the first board records each authority's decision. "
                "The strategy is adopted and published only once every one has approved it."
            )
            self.initial.setdefault("signed_by", "authorities")
            candidates = list(
                Organisation.objects.filter(partnership=strategy.partnership_id, kind__in=kinds)
            )
            # In the order the duty names them; a responsible authority first.
            candidates.sort(
                key=lambda o: (kinds.index(o.kind), not o.is_responsible_authority, o.name)
            )
            self.fields["authorities"].queryset = Organisation.objects.filter(
                pk__in=[o.pk for o in candidates]
            )
            self.fields["authorities"].label_from_instance = (
                lambda o: f"{o.name} ({authority_label(o.kind)})"
            )
            first = {}
            for o in candidates:
                first.setdefault(o.kind, o)
            self.initial.setdefault("authorities", [o.pk for o in first.values()])
            self.kinds = kinds
            self.order_fields(["subject", "signed_by", "first_board", "authorities"])
        else:
            del self.fields["signed_by"]
            del self.fields["authorities"]
            self.kinds = ()
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
        chosen = list(data.get("authorities") or [])
        data["authorities"] = []
        if data.get("signed_by") == "authorities" and subject == "strategy":
            if len(boards) > 1:
                self.add_error("second_board", "Choose only the board where the authorities "
                               "sign off, or choose “The boards, in turn”")
            offered = {o.kind for o in self.fields["authorities"].queryset}
            absent = [authority_label(k) for k in self.kinds if k not in offered]
            if absent:
                self.add_error("signed_by", "The partnership has no organisation recorded as "
                               + ", ".join(absent)
                               + ": add it to the partnership's organisations first")
            else:
                picked = [k for k in self.kinds if k not in {o.kind for o in chosen}]
                twice = len({o.kind for o in chosen}) != len(chosen)
                if picked or twice:
                    self.add_error("authorities", "Choose one organisation of each kind: "
                                   + ", ".join(authority_label(k) for k in self.kinds))
            chosen.sort(key=lambda o: self.kinds.index(o.kind))
            data["authorities"] = chosen
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


class PastDecisionForm(forms.Form):
    """A board's decision taken before it was recorded here, from its minutes."""

    board = forms.ModelChoiceField(
        label="Which board decided?",
        queryset=Board.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the board that decided",
                        "invalid_choice": "Choose one of the boards listed"},
    )
    outcome = forms.ChoiceField(
        label="The board's decision",
        choices=SignOffOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the board's decision",
                        "invalid_choice": "Choose one of the decisions listed"},
    )
    conditions = forms.CharField(
        label="Conditions",
        required=False,
        help_text="Needed if it was approved with conditions.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decided_on = GovUKDateField(
        what="the date of the decision", label="Date of the meeting that decided",
        help_text="For example, 14 3 2023.", **THIS_CENTURY,
    )
    minute_reference = forms.CharField(
        label="Minute reference",
        max_length=100,
        help_text="The minutes are the record of a quorate decision, for example MB/2023/03/4.",
        error_messages={"required": "Enter the minute reference"},
    )

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("outcome") == SignOffOutcome.APPROVED_WITH_CONDITIONS:
            if not (data.get("conditions") or "").strip():
                self.add_error("conditions", "Enter the conditions of the approval")
        return data


# Plan templates -------------------------------------------------------------

class PlanTemplateForm(forms.ModelForm):
    class Meta:
        model = MilestoneTemplate
        fields = ["name", "description"]
        labels = {"name": "Name of the template"}
        help_texts = {"description": "What the template is for, shown when a plan is generated."}
        error_messages = {"name": {"required": "Enter a name for the template"}}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class _Offset(forms.IntegerField):
    def __init__(self, *, what: str, **kwargs):
        super().__init__(
            min_value=0,
            max_value=520 if "week" in what else 120,
            required=False,
            initial=0,
            widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
            error_messages={
                "invalid": f"Enter the {what} as a whole number, like 3",
                "min_value": f"The {what} must be 0 or more",
                "max_value": f"The {what} must be %(limit_value)s or fewer",
            },
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value)
        return 0 if value is None else value


class TemplateStepForm(forms.ModelForm):
    months_before_adoption = _Offset(
        what="months before adoption", label="Months before adoption",
        help_text="0 for the adoption month, 8 for eight months earlier.",
    )
    weeks_before_adoption = _Offset(
        what="weeks before adoption", label="Weeks before adoption",
        help_text="Added to the months: for example 0 months and 14 weeks.",
    )
    duration_months = _Offset(
        what="length in months", label="Length in months (for a window)",
        help_text="Leave at 0 for a single date.",
    )
    duration_weeks = _Offset(
        what="length in weeks", label="Length in weeks (for a window)",
        help_text="Leave at 0 for a single date. Use the months or the weeks for a window.",
    )

    class Meta:
        model = MilestoneTemplateStep
        fields = [
            "title", "description", "kind", "board", "months_before_adoption",
            "weeks_before_adoption", "duration_months", "duration_weeks",
        ]
        labels = {"kind": "What the step stands for", "board": "Board"}
        help_texts = {
            "kind": "The plan's milestone is marked done when this happens.",
            "board": "The board this step goes to, if any.",
        }
        error_messages = {
            "title": {"required": "Enter a title for the step"},
            "kind": {"required": "Choose what the step stands for"},
            "board": {"invalid_choice": "Choose one of the partnership's boards"},
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = MilestoneKind.choices
        self.fields["board"].queryset = Board.objects.filter(partnership=partnership)
        self.fields["board"].empty_label = "No board"
        self.fields["board"].error_messages["invalid_choice"] = (
            "Choose one of the partnership's boards"
        )
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("duration_months") and data.get("duration_weeks"):
            self.add_error(
                "duration_weeks",
                "Give how long the window runs in months or in weeks, not both",
            )
        return data
