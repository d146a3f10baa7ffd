from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from consultation.forms import HoneypotMixin, _helper


class FollowForm(HoneypotMixin, forms.Form):
    # Lazy: the form is read in the language of the partnership's page.
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send you a link to confirm. Nothing else is sent until you use it."),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address"),
            "invalid": _("Enter an e-mail address like name@example.org"),
            "max_length": _("Enter an e-mail address of 254 characters or fewer"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["email"].widget.attrs.update(
            {"autocomplete": "email", "spellcheck": "false"}
        )
