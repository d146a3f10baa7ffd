from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from django import forms

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
        labels = {"title": "Subject of the report"}
        help_texts = {
            "purpose_text": "One or two sentences: what the board is asked to do.",
            "section17_statement": "Only for an item under section 17, for example "
            "'Development of Strategy'.",
            "introduction": "Separate paragraphs with a blank line; they are numbered for you. "
            "Start a line with '- ' for a bullet.",
            "recommendations": "One recommendation per paragraph.",
            "attachments": "One per line, with its link if it has one.",
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
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL

    def clean(self):
        cleaned = super().clean()
        ticked = cleaned.get("responsibilities") or []
        if any(r.code == S17 for r in ticked) and not cleaned.get("section17_statement"):
            self.add_error(
                "section17_statement", "Say what the section 17 item is about"
            )
        return cleaned
