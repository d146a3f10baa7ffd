"""GOV.UK forms for strategies, the golden thread, assessments and proposals.

Forms validate what a person typed; the services validate the rules. Views
copy a service's ValidationError back onto the form (see add_service_errors).
"""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from partnerships.models import Organisation, Partnership, policing_body_on
from safermk.forms import (
    GovUKDateField,
    LongChoiceField,
    ModelMultipleIdField,
    PagedFilterForm,
    SearchField,
)
from strategy.duties import StrategyDuty, profile
from strategy.models import (
    LineOfEnquiry,
    Measure,
    Measurement,
    Objective,
    Priority,
    PriorityProposal,
    StatutoryResponsibility,
    StrategicAssessment,
    Strategy,
)

# Slugs that would clash with the pages under /strategies/.
RESERVED_SLUGS = {"new", "manage"}


def free_slug(taken, base: str) -> str:
    """`base`, or `base-2`, `base-3`... whichever `taken` does not hold yet."""
    candidate, number = base, 2
    while taken.filter(slug=candidate).exists():
        candidate, number = f"{base}-{number}", number + 1
    return candidate


class GovForm:
    """Mixin: crispy-forms-gds helper without a <form> tag, and required
    messages that say what to enter."""

    required_messages: dict[str, str] = {}

    def _setup(self) -> None:
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's own <form> carries the token
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        # With a layout, the helper turns the sizes into GOV.UK classes
        # (govuk-label--s); without one it would print them raw.
        self.helper.layout = Layout(*self.fields)
        for name, message in self.required_messages.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                field.error_messages["invalid"] = "Enter a number, like 120 or 45.5"
                field.widget = forms.TextInput(attrs={"inputmode": "decimal"})


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the field it names (or at the
    top of the form when it names none)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class StrategyForm(GovForm, forms.ModelForm):
    required_messages = {
        "title": "Enter the strategy's title",
        "kind": "Choose whether this is a three-year strategy or an annual refresh",
    }
    period_start = GovUKDateField(what="the first day of the period", label="Start of the period",
                                  help_text="For example, 1 4 2022")
    period_end = GovUKDateField(what="the last day of the period", label="End of the period",
                                help_text="For example, 31 3 2025")

    class Meta:
        model = Strategy
        fields = [
            "title", "slug", "duty", "kind", "parent", "period_start", "period_end", "aim",
            "foreword",
            "pcc_plan_reference", "pcc_alignment", "responsibilities", "assessments",
        ]
        field_classes = {
            "responsibilities": ModelMultipleIdField, "assessments": ModelMultipleIdField,
        }
        widgets = {
            "duty": forms.RadioSelect,
            "kind": forms.RadioSelect,
            "responsibilities": forms.CheckboxSelectMultiple,
            "assessments": forms.CheckboxSelectMultiple,
            "aim": forms.Textarea(attrs={"rows": 2}),
            "foreword": forms.Textarea(attrs={"rows": 6}),
            "pcc_alignment": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "slug": "Web address name",
            "parent": "Strategy this refreshes",
            "pcc_plan_reference": "Police and crime plan",
            "responsibilities": "Statutory responsibilities covered",
            "duty": "Kind of strategy",
            "assessments": "Assessments that inform it",
        }
        help_texts = {
            "slug": "Used in the strategy's web address. Leave blank to make one from the title.",
            "duty": "A community safety partnership strategy (Crime and Disorder Act 1998) "
            "rests on strategic assessments and is signed off by the partnership's boards. A "
            "serious violence strategy (Serious Violence Duty) rests on a strategic needs "
            "assessment, is signed off by each specified authority after the educational, "
            "prison and youth custody authorities are consulted, and is reviewed every year.",
            "assessments": "Strategic assessments for a community safety strategy; strategic "
            "needs assessments for a serious violence strategy.",
            "pcc_plan_reference": "The title of the police and crime plan the strategy has "
            "regard to, for example “Police and Crime Plan 2025 to 2029”.",
            "pcc_alignment": "How the strategy has regard to the police and crime plan, as the "
            "Crime and Disorder Act 1998 requires.",
        }

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["slug"].required = False
        self.fields["kind"].choices = Strategy.Kind.choices
        self.fields["duty"].choices = Strategy.Duty.choices
        # Left out, a strategy keeps its kind (a new one is a community safety strategy).
        self.fields["duty"].required = False
        parents = Strategy.objects.filter(partnership=partnership, kind=Strategy.Kind.FULL)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "Not a refresh"
        self.fields["assessments"].queryset = StrategicAssessment.objects.filter(
            partnership=partnership
        ).order_by("-year")
        self.fields["assessments"].label_from_instance = (
            lambda a: f"{a.title} ({a.profile.assessment_name}, {a.year})"
        )
        self.fields["responsibilities"].queryset = StatutoryResponsibility.objects.all()
        if not self.instance.pk and not self.initial.get("aim"):
            self.initial["aim"] = partnership.aim
        self._name_the_policing_body()
        self._setup()

    def _name_the_policing_body(self) -> None:
        """The help names the body whose plan applies: the one in force when
        the strategy's period starts (today, for a new strategy)."""
        day = self.instance.period_start or timezone.localdate()
        body = policing_body_on(self.partnership, day)
        if body is None:
            return
        example = f"“{body.plan_title}”" if body.plan_title else (
            "“Police and Crime Plan 2025 to 2029”"
        )
        self.fields["pcc_plan_reference"].help_text = (
            f"The title of the police and crime plan of {body.in_sentence} that the strategy "
            f"has regard to, for example {example}."
        )
        self.fields["pcc_alignment"].help_text = (
            f"How the strategy has regard to the police and crime plan of {body.in_sentence}, "
            "as the Crime and Disorder Act 1998 requires. The strategy is sent to that body."
        )

    def clean_slug(self) -> str:
        typed = self.cleaned_data.get("slug")
        slug = typed or slugify(self.cleaned_data.get("title") or "")
        if not slug:
            return slug
        if slug in RESERVED_SLUGS:
            raise ValidationError("Choose a different web address name")
        others = Strategy.objects.exclude(pk=self.instance.pk)
        if not others.filter(slug=slug).exists():
            return slug
        if typed:
            raise ValidationError("Another strategy already uses this web address name")
        # Made from the title: another partnership may well have a strategy of
        # the same title, so the address takes this partnership's name first.
        return free_slug(others, slugify(f"{self.partnership.slug}-{slug}")[:90])

    def clean(self):
        data = super().clean()
        if data.get("kind") == Strategy.Kind.REFRESH and not data.get("parent"):
            self.add_error("parent", "Choose the three-year strategy that this refresh updates")
        duty = data.get("duty") or self.instance.duty or StrategyDuty.COMMUNITY_SAFETY
        data["duty"] = duty
        if duty:
            name = profile(duty).assessment_name
            others = [a for a in data.get("assessments") or [] if a.duty != duty]
            if others:
                self.add_error("assessments", f"Choose only {name}s for this kind of strategy")
            parent = data.get("parent")
            if data.get("kind") == Strategy.Kind.REFRESH and parent and parent.duty != duty:
                self.add_error("parent", "Choose a strategy of the same kind as this refresh")
        return data

    def _post_clean(self):
        # Model-level rules are checked by the services; the form's own
        # messages above already cover what a person can fix here.
        pass


class PriorityForm(GovForm, forms.ModelForm):
    required_messages = {"title": "Enter the priority"}

    class Meta:
        model = Priority
        fields = ["title", "description", "responsibilities"]
        field_classes = {"responsibilities": ModelMultipleIdField}
        widgets = {
            "title": forms.TextInput,
            "description": forms.Textarea(attrs={"rows": 4}),
            "responsibilities": forms.CheckboxSelectMultiple,
        }
        labels = {"title": "Priority", "responsibilities": "Statutory responsibilities it touches"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsibilities"].queryset = StatutoryResponsibility.objects.all()
        self._setup()

    def _post_clean(self):
        pass


class ObjectiveForm(GovForm, forms.ModelForm):
    required_messages = {
        "title": "Enter the objective",
        "lead_organisation": "Choose the organisation that leads this objective",
    }

    class Meta:
        model = Objective
        fields = ["title", "description", "lead_organisation"]
        widgets = {"title": forms.TextInput, "description": forms.Textarea(attrs={"rows": 4})}
        labels = {"title": "Objective", "lead_organisation": "Lead organisation"}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = Organisation.objects.filter(
            partnership=partnership
        )
        self.fields["lead_organisation"].empty_label = "Choose an organisation"
        self._setup()

    def _post_clean(self):
        pass


class MeasureForm(GovForm, forms.ModelForm):
    required_messages = {
        "title": "Enter what is measured",
        "unit": "Enter the unit, for example incidents or %",
        "baseline_value": "Enter the baseline value",
        "target_value": "Enter the target value",
        "direction": "Choose whether higher or lower is better",
        "frequency": "Choose how often the measure is updated",
        "data_source": "Enter where the data comes from",
        "owner_organisation": "Choose the organisation that owns this measure",
    }
    baseline_date = GovUKDateField(what="the baseline date", label="Date of the baseline",
                                   help_text="For example, 31 3 2018")
    target_date = GovUKDateField(what="the target date", label="Date the target is due",
                                 help_text="For example, 31 3 2021")

    class Meta:
        model = Measure
        fields = [
            "title", "unit", "baseline_value", "baseline_date", "target_value", "target_date",
            "direction", "frequency", "data_source", "owner_organisation", "owner",
        ]
        widgets = {
            "title": forms.TextInput,
            "direction": forms.RadioSelect,
            "frequency": forms.RadioSelect,
        }
        labels = {
            "title": "Performance measure",
            "baseline_value": "Baseline value",
            "target_value": "Target value",
            "owner_organisation": "Organisation that owns the measure",
            "owner": "Person who updates it (optional)",
        }

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = Measure.Direction.choices
        self.fields["frequency"].choices = Measure.Frequency.choices
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(
            partnership=partnership
        )
        self.fields["owner_organisation"].empty_label = "Choose an organisation"
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(memberships__partnership=partnership)
            .order_by("first_name", "last_name")
        )
        self.fields["owner"].empty_label = "Nobody in particular"
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["unit"].widget.attrs["class"] = "govuk-input--width-10"
        self._setup()

    def clean(self):
        data = super().clean()
        if (
            data.get("baseline_date")
            and data.get("target_date")
            and data["target_date"] <= data["baseline_date"]
        ):
            self.add_error("target_date", "The target date must be after the baseline date")
        return data

    def _post_clean(self):
        pass


class MeasurementForm(GovForm, forms.ModelForm):
    required_messages = {"value": "Enter the value for this period"}
    period_end = GovUKDateField(
        what="the last day of the period",
        label="Last day of the period",
        help_text="For example, 31 3 2022 for the quarter from January to March 2022",
    )

    class Meta:
        model = Measurement
        fields = ["period_end", "value", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        labels = {"note": "Note (optional)"}
        help_texts = {"note": "Anything a reader needs to understand this value."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup()
        self.fields["value"].widget.attrs["class"] = "govuk-input--width-10"

    def clean_period_end(self):
        period_end = self.cleaned_data["period_end"]
        if period_end and period_end > dt.date.today():
            raise ValidationError("The period must have ended: enter a date in the past")
        return period_end

    def _post_clean(self):
        pass


class AssessmentForm(GovForm, forms.ModelForm):
    required_messages = {
        "year": "Enter the year of the assessment",
        "title": "Enter the assessment's title",
    }

    class Meta:
        model = StrategicAssessment
        fields = [
            "year", "title", "local_definition", "public_summary", "summary",
            "existing_priorities_review", "emerging_priorities", "data_sources", "status",
        ]
        widgets = {
            "local_definition": forms.Textarea(attrs={"rows": 4}),
            "public_summary": forms.Textarea(attrs={"rows": 5}),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "existing_priorities_review": forms.Textarea(attrs={"rows": 5}),
            "emerging_priorities": forms.Textarea(attrs={"rows": 5}),
            "data_sources": forms.Textarea(attrs={"rows": 3}),
            "status": forms.RadioSelect,
        }
        labels = {"summary": "Summary of findings"}

    def __init__(self, *args, duty: str = StrategyDuty.COMMUNITY_SAFETY, **kwargs):
        super().__init__(*args, **kwargs)
        if duty == StrategyDuty.SERIOUS_VIOLENCE:
            self.fields["summary"].label = "Summary of findings (restricted to officers)"
            self.fields["local_definition"].required = True
            self.fields["local_definition"].error_messages["required"] = (
                "Enter the local definition of serious violence"
            )
        else:
            # Only a strategic needs assessment has a local definition and a
            # public summary.
            del self.fields["local_definition"]
            del self.fields["public_summary"]
        self.fields["year"].error_messages["invalid"] = "Enter the year as a number, like 2021"
        self.fields["year"].widget.attrs["class"] = "govuk-input--width-4"
        # Signing off is recorded by the board, not typed here.
        self.fields["status"].choices = [
            c for c in StrategicAssessment.Status.choices
            if c[0] != StrategicAssessment.Status.SIGNED_OFF
            or (self.instance and self.instance.status == c[0])
        ]
        self._setup()

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and not 1998 <= year <= 2100:
            raise ValidationError("Enter a year between 1998 and 2100")
        return year

    def _post_clean(self):
        pass


class LineOfEnquiryForm(GovForm, forms.ModelForm):
    required_messages = {"title": "Enter the line of enquiry"}

    class Meta:
        model = LineOfEnquiry
        fields = ["title", "findings"]
        widgets = {"findings": forms.Textarea(attrs={"rows": 6})}
        labels = {"title": "Line of enquiry"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup()

    def _post_clean(self):
        pass


class ProposalForm(GovForm, forms.ModelForm):
    required_messages = {
        "title": "Enter the priority you propose",
        "organisation": "Choose the organisation you propose it for",
    }

    class Meta:
        model = PriorityProposal
        fields = ["organisation", "title", "rationale"]
        widgets = {"title": forms.TextInput, "rationale": forms.Textarea(attrs={"rows": 4})}
        labels = {"title": "Proposed priority", "rationale": "Why (optional)"}

    def __init__(self, *args, partnership: Partnership, organisation: Organisation | None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            # A partner officer proposes for their own organisation only.
            del self.fields["organisation"]
            self.organisation = organisation
        else:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                partnership=partnership
            )
            self.fields["organisation"].empty_label = "Choose an organisation"
            self.organisation = None
        self._setup()

    def _post_clean(self):
        pass


class DecisionForm(GovForm, forms.Form):
    ACCEPT, MERGE, DECLINE = "accept", "merge", "decline"
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[
            (ACCEPT, "Accept it as a new priority"),
            (MERGE, "Merge it into an existing priority"),
            (DECLINE, "Decline it"),
        ],
    )
    priority = forms.ModelChoiceField(
        label="Priority to merge it into", required=False, queryset=Priority.objects.none(),
        help_text="Only if you merge it.",
    )
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The partner organisation sees this reason.",
    )
    required_messages = {
        "decision": "Choose whether to accept, merge or decline the proposal",
        "reason": "Enter the reason for your decision",
    }

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = strategy.priorities.order_by("order", "pk")
        self.fields["priority"].empty_label = "Choose a priority"
        self._setup()

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.MERGE and not data.get("priority"):
            self.add_error("priority", "Choose the priority to merge the proposal into")
        return data


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=Strategy.Status.choices)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


def happened_on_field(*, required: bool) -> GovUKDateField:
    """The day a lifecycle step really happened, for one recorded afterwards."""
    return GovUKDateField(
        what="the date it happened",
        label="Date it happened" if required else "Date it happened (if not today)",
        help_text="For a step taken before it was recorded here, such as a board meeting "
        "that adopted the strategy. For example, 14 3 2023.",
        required=required,
        min_year=2000,
        max_year=2100,
    )


class ConfirmTransitionForm(GovForm, forms.Form):
    happened_on = happened_on_field(required=False)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        help_text="Recorded with the step, for example the board and minute reference.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup()


class RecordTransitionForm(GovForm, forms.Form):
    """A reversible step recorded with the day it really happened."""

    to_status = forms.ChoiceField(
        label="Which step happened?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the step that happened",
                        "invalid_choice": "Choose one of the steps listed"},
    )
    happened_on = happened_on_field(required=True)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        help_text="Recorded with the step, for example where it is minuted.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, steps: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = steps
        self._setup()


class VersionForm(GovForm, forms.Form):
    note = forms.CharField(
        label="Why are you saving this version? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup()


class PublicListForm(PagedFilterForm):
    """The filters of the public list of strategies. The view adds the
    partnerships to choose from: `choices={"partnership": [(slug, name)]}`."""

    ALL, CURRENT, REPLACED = "all", "current", "replaced"

    q = SearchField(label="Search")
    status = forms.ChoiceField(
        label="Status", required=False,
        choices=[(ALL, "All"), (CURRENT, "In force"), (REPLACED, "Replaced by a newer one")],
        error_messages={"invalid_choice": "Choose from the list"},
    )
    kind = forms.ChoiceField(
        label="Kind of strategy", required=False,
        choices=[(ALL, "All")] + [(value, label) for value, label in StrategyDuty.choices],
        error_messages={"invalid_choice": "Choose from the list"},
    )
    partnership = LongChoiceField(label="Partnership")

    @property
    def chosen_status(self) -> str:
        return self.filters.get("status", self.ALL)

    @property
    def chosen_kind(self) -> str:
        return self.filters.get("kind", self.ALL)
