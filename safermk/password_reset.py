"""Resetting a forgotten password by e-mail, with Django's own views.

The request page answers the same whether or not the address belongs to
anyone, so it cannot be used to find out who has an account. Links in the
e-mail point at SITE_URL, never at the Host header of the request. Setting a
new password through the link also clears any sign-in lock-out for that
person (safermk/lockout.py): they have just proved who they are.

Requests are rate limited twice (safermk/ratelimits.py, failing open when the
cache is down): per address of the connection (PASSWORD_RESET_RATE), which
answers with a "too many requests" page, and per e-mail address
(PASSWORD_RESET_EMAIL_RATE), which quietly sends nothing more to that inbox
while the page still answers as always, so neither a flood of e-mails nor
the limit itself tells anyone whether an account exists.

The e-mail is handed to the worker (safermk.tasks.send_email), so the page
takes as long whether or not the address has an account. With the broker
down it is sent in the request instead: the link still arrives.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string

from safermk.lockout import sign_in_lockout_clear
from safermk.ratelimits import is_limited

logger = logging.getLogger(__name__)


def _gds_helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.layout = Layout(*fields)
    return helper


def _send_in_worker(subject: str, body: str, to: str) -> None:
    from safermk.tasks import send_email

    try:
        send_email.delay(subject, body, [to])
    except Exception:  # the broker is down: send it now rather than lose it
        logger.warning("Password reset e-mail sent in the request (the broker is unavailable)",
                       exc_info=True)
        send_email(subject, body, [to])


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

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        _send_in_worker(subject, body, to_email)


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


def _address_rate(group, request):
    return settings.PASSWORD_RESET_RATE


def _email_rate(group, request):
    return settings.PASSWORD_RESET_EMAIL_RATE


def _email_key(group, request):
    return (request.POST.get("email") or "").strip().casefold()[:254]


class _PasswordReset(auth_views.PasswordResetView):
    def post(self, request, *args, **kwargs):
        if is_limited(
            request, group="password-reset", key="ip", rate=_address_rate, method="POST"
        ):
            return render(request, "registration/password_reset_limited.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if is_limited(
            self.request,
            group="password-reset-email",
            key=_email_key,
            rate=_email_rate,
            method="POST",
        ):
            # Same answer as a sent link; the inbox is spared another e-mail.
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


password_reset = _PasswordReset.as_view(
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

