from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxLengthValidator

from documents.models import PartnershipReport
from safermk.forms import GovUKDateField, ModelMultipleIdField
from strategy.models import Priority, StatutoryResponsibility

S17 = "s17"


class PartnershipReportForm(forms.ModelForm):
    report_date = GovUKDateField(
        what="the date of the meeting",
        label="Date of the meeting",
        required=False,
        help_text="For example, 30 6 2021. Leave it blank if the date is not set yet.",
    )
    priorities = ModelMultipleIdField(
        queryset=Priority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which of the strategy's priorities does the report touch?",
        help_text="Leave all unticked if it touches none.",
    )
    responsibilities = ModelMultipleIdField(
        queryset=StatutoryResponsibility.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which other statutory responsibilities does it touch?",
        help_text="Responsibilities that a ticked priority carries are ticked in the report too.",
    )

    class Meta:
        model = PartnershipReport
        fields = [
            "title", "report_date", "author_name", "author_role", "author_phone", "author_email",
            "purpose", "purpose_text", "priorities", "responsibilities", "section17_statement",
            "introduction", "recommendations", "scrutiny_comments", "background",
            "other_considerations", "include_milestones", "attachments",
        ]
        labels = {
            "title": "Subject of the report",
            "scrutiny_comments": "Comments or recommendations from scrutiny",
        }
        help_texts = {
            "purpose_text": "One or two sentences: what the board is asked to do.",
            "section17_statement": "Only for an item under section 17, for example "
            "'Development of Strategy'.",
            "introduction": "Separate paragraphs with a blank line; they are numbered for you. "
            "Start a line with '- ' for a bullet.",
            "recommendations": "One recommendation per paragraph.",
            "attachments": "One per line, with its link if it has one.",
            "scrutiny_comments": "From the council's crime and disorder committee or another "
            "scrutiny body, if it has looked at the item.",
        }
        widgets = {
            "purpose": forms.RadioSelect,
            "purpose_text": forms.Textarea(attrs={"rows": 3}),
            "introduction": forms.Textarea(attrs={"rows": 8}),
            "recommendations": forms.Textarea(attrs={"rows": 5}),
            "scrutiny_comments": forms.Textarea(attrs={"rows": 3}),
            "background": forms.Textarea(attrs={"rows": 8}),
            "other_considerations": forms.Textarea(attrs={"rows": 5}),
            "attachments": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "title": {"required": "Enter the subject of the report"},
            "author_name": {"required": "Enter the author's name"},
            "purpose": {"required": "Choose whether the report is for information or for decision"},
            "recommendations": {"required": "Enter the recommendations"},
            "author_email": {"invalid": "Enter an e-mail address like name@example.org"},
        }

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priorities"].queryset = Priority.objects.filter(strategy=strategy).order_by(
            "order", "pk"
        )
        self.fields["purpose"].choices = PartnershipReport.Purpose.choices
        limits = {name: _limit(name) for name in self.fields}
        for name, limit in limits.items():
            if limit:
                self._bound_length(name, limit)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                # crispy-forms-gds 2.0.1 appends the character count's id to
                # this attribute and fails when a field without a hint lacks it.
                field.widget.attrs.setdefault("aria-describedby", "")
        self.helper.layout = Layout(
            *(
                Field.textarea(
                    name,
                    rows=self.fields[name].widget.attrs.get("rows", 5),
                    max_characters=limits[name],
                    threshold=75,
                )
                if isinstance(self.fields[name].widget, forms.Textarea)
                else name
                for name in self.fields
            )
        )

    def _bound_length(self, name: str, limit: int) -> None:
        """The model's limit, said next to the field with what was typed.
        No maxlength attribute: a browser would cut pasted text short without
        a word (the GOV.UK character count shows the limit instead)."""
        field = self.fields[name]
        field.widget.attrs.pop("maxlength", None)
        label = field.label or name

        def at_most(value: str) -> None:
            if len(value) > limit:
                raise forms.ValidationError(
                    f"{label} must be {limit:,} characters or fewer. "
                    f"It has {len(value):,} characters.",
                    code="max_length",
                )

        field.validators = [
            v for v in field.validators if not isinstance(v, MaxLengthValidator)
        ] + [at_most]

    def clean(self):
        cleaned = super().clean()
        ticked = cleaned.get("responsibilities") or []
        if any(r.code == S17 for r in ticked) and not cleaned.get("section17_statement"):
            self.add_error(
                "section17_statement", "Say what the section 17 item is about"
            )
        return cleaned


def _limit(name: str) -> int | None:
    """The longest text the model accepts in a report field, if it is one."""
    try:
        model_field = PartnershipReport._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field
        return None
    limits = [v.limit_value for v in model_field.validators if isinstance(v, MaxLengthValidator)]
    return min(limits) if limits else None


class PerformanceQuarterForm(forms.Form):
    """Which quarter the performance report is on: one of the strategy's
    quarters that have ended."""

    quarter = forms.ChoiceField(
        label="Which quarter should the report cover?",
        help_text="The figures are those for periods ending by the quarter's last day.",
        error_messages={
            "required": "Choose the quarter the report should cover",
            "invalid_choice": "Choose one of the quarters in the list: the quarters of the "
            "strategy's period that have ended",
        },
    )

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.quarters = {q.slug: q for q in quarters}
        self.fields["quarter"].choices = [(q.slug, q.label) for q in quarters]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL

    def clean_quarter(self):
        return self.quarters[self.cleaned_data["quarter"]]
