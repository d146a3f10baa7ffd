from __future__ import annotations

from django import forms

from consultation.forms import HoneypotMixin, _helper


class FollowForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        help_text="We send you a link to confirm. Nothing else is sent until you use it.",
        max_length=254,
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address like name@example.org",
            "max_length": "Enter an e-mail address of 254 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["email"].widget.attrs.update(
            {"autocomplete": "email", "spellcheck": "false"}
        )
