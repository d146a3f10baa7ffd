"""Forms of the documents beside a consultation's draft."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

from consultation import attachments


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has its own token
    return helper


class DocumentEditForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200,
        help_text="For example, “Easy read version of the draft strategy”.",
        error_messages={"required": "Enter a title for the document",
                        "max_length": "The title must be 200 characters or fewer"},
    )
    description = forms.CharField(
        label="Description", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Say what the document holds, for people who cannot open or see it: "
        "for a map, what it shows.",
        error_messages={"required": "Enter a description of the document",
                        "max_length": "The description must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class DocumentForm(DocumentEditForm):
    file = forms.FileField(
        label="File",
        error_messages={
            "required": "Choose a file to upload",
            "empty": f"The file is empty: choose {attachments.ACCEPTED}",
            "invalid": "Choose a file to upload",
            "max_length": "The file name is too long: rename the file and try again",
        },
    )

    field_order = ["file", "title", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"{attachments.ACCEPTED[0].upper()}{attachments.ACCEPTED[1:]}, "
            f"of {attachments.max_size_label()} or smaller."
        )
        self.fields["file"].widget.attrs["accept"] = (
            ".pdf,.docx,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg,"
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
