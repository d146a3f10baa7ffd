"""Resetting a forgotten password by e-mail, with Django's own views.

The request page answers the same whether or not the address belongs to
anyone, so it cannot be used to find out who has an account. Links in the
e-mail point at SITE_URL, never at the Host header of the request. Setting a
new password through the link also clears any sign-in lock-out for that
person (safermk/lockout.py): they have just proved who they are.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views

from safermk.lockout import sign_in_lockout_clear


def _gds_helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.layout = Layout(*fields)
    return helper


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.label = "Email address"
        field.help_text = "The address your account was set up with."
        field.error_messages.update(
            {
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like name@example.org",
            }
        )
        field.widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.helper = _gds_helper("email")

    def save(self, **kwargs):
        # The link goes to SITE_URL, whatever Host the request came with.
        site = urlsplit(settings.SITE_URL)
        kwargs["domain_override"] = site.netloc
        kwargs["use_https"] = site.scheme == "https"
        kwargs["extra_email_context"] = {
            "brand_name": settings.SAFERMK_BRAND_NAME,
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        return super().save(**kwargs)


class NewPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": "The passwords do not match. Enter the same password twice",
        }
        self.helper = _gds_helper("new_password1", "new_password2")


password_reset = auth_views.PasswordResetView.as_view(
    form_class=PasswordResetRequestForm,
    template_name="registration/password_reset_form.html",
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
)


class _PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        sign_in_lockout_clear(user=form.user)
        return response


password_reset_confirm = _PasswordResetConfirm.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html",
    extra_context={"valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"
)

