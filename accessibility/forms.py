"""The public form for asking for a document in another format."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size
from django import forms
from django.core.validators import RegexValidator

from accessibility.models import FormatRequest

phone_number = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{5,38}$",
    "Enter a phone number, like 01632 960 001 or +44 808 157 0192",
)


class FormatRequestForm(forms.Form):
    format = forms.ChoiceField(
        label="Which format do you need?",
        choices=FormatRequest.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the format you need"},
    )
    document = forms.CharField(
        label="Which document or page do you need?",
        help_text="For example, the title of the strategy or the address of the page.",
        max_length=300,
        error_messages={"required": "Enter the document or page you need"},
    )
    name = forms.CharField(
        label="Your name",
        max_length=200,
        error_messages={"required": "Enter your name"},
    )
    email = forms.EmailField(
        label="E-mail address",
        help_text="Give an e-mail address, a phone number or both, so we can reply.",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an e-mail address in the right format, like name@example.org"
        },
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=40,
        validators=[phone_number],
    )
    details = forms.CharField(
        label="Anything else we should know (optional)",
        help_text="For example, the size of print you need, or the format if you chose "
                  "another format.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update({"autocomplete": "name", "spellcheck": "false"})
        self.fields["email"].widget.attrs.update(
            {"autocomplete": "email", "spellcheck": "false"}
        )
        self.fields["phone"].widget = forms.TextInput(
            attrs={"autocomplete": "tel", "type": "tel", "class": "govuk-input--width-20"}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has its own token
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(*self.fields)

    def clean(self):
        data = super().clean()
        if not (data.get("email") or data.get("phone")) and not (
            self.has_error("email") or self.has_error("phone")
        ):
            self.add_error("email", "Enter an e-mail address or a phone number, so we can reply")
        if data.get("format") == FormatRequest.Format.OTHER and not (
            data.get("details") or ""
        ).strip() and not self.has_error("details"):
            self.add_error("details", "Say which format you need")
        return data
