from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils import timezone

from reminders.duties import duty_name
from reminders.kinds import Kind
from reminders.models import Duty, ReminderSettings


class PreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Which reminders do you want?",
        help_text="You get an e-mail and a notice on your dashboard for each kind you choose.",
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    daily_digest = forms.TypedChoiceField(
        label="How should reminders arrive?",
        choices=[("0", "One e-mail for each reminder"), ("1", "One e-mail a day with all of them")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how reminders should arrive"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("kinds", legend_size=Size.MEDIUM),
            Field.radios("daily_digest", legend_size=Size.MEDIUM),
        )


class DutyRecordForm(forms.Form):
    duty = forms.ChoiceField(
        label="Which duty was done?",
        choices=Duty.choices,
        error_messages={"required": "Choose the duty that was done"},
        widget=forms.RadioSelect,
    )
    done_on = forms.DateField(
        label="When was it done?",
        help_text="For example, 2 4 2024 or 2024-04-02",
        input_formats=["%d %m %Y", "%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "Enter the date it was done",
            "invalid": "Enter a real date, like 2 4 2024",
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=300,
        help_text="For example: the meeting or the letter's reference.",
    )

    def __init__(self, *args, policing_body: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # The duty to send the plan names the body in force (given by the view).
        self.fields["duty"].choices = [
            (value, duty_name(value, policing_body)) for value, _ in Duty.choices
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("duty", legend_size=Size.MEDIUM),
            Field.text("done_on", field_width=10),
            Field.text("note"),
        )

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return done_on


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = [
            "milestone_days",
            "overdue_window_days",
            "measure_grace_days",
            "annual_lead_days",
            "assessment_due_month",
            "renewal_lead_days",
            "signoff_review_days",
            "signoff_repeat_days",
            "signoff_decision_days",
            "consultation_opening_days",
            "consultation_closing_days",
            "retention_notice_days",
        ]
        error_messages = {
            name: {
                "required": "Enter a number of days",
                "invalid": "Enter a whole number",
                "min_value": "Enter 0 or more",
            }
            for name in fields
        }
        # GOV.UK asks for whole numbers in text inputs with a numeric keyboard.
        widgets = {
            name: forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})
            for name in fields
        }
        error_messages["milestone_days"] = {"required": "Enter the days, like 14,7,1"}
        error_messages["assessment_due_month"] = {
            "required": "Enter a month from 1 to 12",
            "invalid": "Enter a month from 1 to 12",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *[
                Field.text(name, field_width=10 if name == "milestone_days" else 4)
                for name in self.Meta.fields
            ]
        )
