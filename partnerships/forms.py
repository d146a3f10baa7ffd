"""GOV.UK forms for setting up a partnership. Every choice of an
organisation, board or person is limited to the partnership's own."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size
from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError

from partnerships.models import (
    Board,
    BoardMembership,
    Membership,
    Organisation,
    Partnership,
    PolicingBody,
    PolicingRecommendation,
)
from partnerships.services import people_of
from safermk.forms import GovUKDateField


def _setup(form: forms.BaseForm, required: dict[str, str] | None = None) -> None:
    form.helper = FormHelper()
    form.helper.form_tag = False
    form.helper.disable_csrf = True  # the page's own <form> carries the token
    form.helper.label_size = Size.SMALL
    form.helper.legend_size = Size.SMALL
    form.helper.layout = Layout(*form.fields)
    for name, message in (required or {}).items():
        if name in form.fields:
            form.fields[name].error_messages["required"] = message


def show_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError next to the field it names, or at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def organisation_choices(field: forms.ModelChoiceField, partnership: Partnership) -> None:
    field.queryset = Organisation.objects.filter(partnership=partnership).order_by("name")
    field.label_from_instance = lambda o: o.name


class PartnershipForm(forms.ModelForm):
    accessibility_prepared_on = GovUKDateField(
        what="the date the accessibility statement was prepared",
        label="Accessibility statement prepared on (optional)",
        help_text="Left empty, the statement gives the day the partnership was set up here. "
                  "For example, 27 3 2026.",
        required=False,
        min_year=2000,
        max_year=2100,
    )
    accessibility_reviewed_on = GovUKDateField(
        what="the date the accessibility statement was last reviewed",
        label="Accessibility statement last reviewed on (optional)",
        help_text="The day someone in the partnership last checked that the statement is "
                  "still true. The regulations ask for a review at least once a year.",
        required=False,
        min_year=2000,
        max_year=2100,
    )

    class Meta:
        model = Partnership
        fields = [
            # The local policing body and its plan are recorded, with dates,
            # on their own page (PolicingBodyForm), not here.
            "name", "area", "aim", "short_code", "colour", "website", "contact_email",
            "contact_phone", "contact_address", "accessibility_prepared_on",
            "accessibility_reviewed_on",
        ]
        labels = {
            "name": "Name of the partnership",
            "area": "Area it covers",
            "aim": "Overarching aim",
            "short_code": "Short code for references",
            "colour": "Brand colour",
            "website": "Website (optional)",
            "contact_email": "Contact e-mail address",
            "contact_phone": "Contact phone number (optional)",
            "contact_address": "Postal address (optional)",
        }
        help_texts = {
            "area": "",
            "aim": "For example: to make the area a safe place to live, work and visit.",
            "short_code": "2 to 5 capital letters or digits. It starts every consultation "
                          "response reference, like BD-7Q4K-92XD.",
            "colour": "A colour like #1d5c63. White text on it must have a contrast of at "
                      "least 4.5 to 1.",
            "contact_email": "Shown in the accessibility statement and the privacy notice. "
                             "Requests for documents in another format go to it and to the "
                             "partnership's officers.",
        }
        widgets = {
            "aim": forms.Textarea(attrs={"rows": 2}),
            "contact_address": forms.Textarea(attrs={"rows": 4}),
            # crispy-forms-gds styles text inputs, not URL inputs.
            "website": forms.TextInput(attrs={"inputmode": "url", "spellcheck": "false"}),
        }
        error_messages = {
            "short_code": {"unique": "Another partnership uses this short code: choose another"},
            "website": {"invalid": "Enter a web address, like https://www.example.org"},
            "contact_email": {
                "invalid": "Enter an e-mail address in the right format, like name@example.org"
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_email"].required = True
        self.fields["short_code"].widget.attrs.update(
            {"class": "govuk-input--width-5", "autocapitalize": "characters",
             "spellcheck": "false"}
        )
        self.fields["colour"].widget.attrs.update(
            {"class": "govuk-input--width-10", "spellcheck": "false"}
        )
        _setup(self, {
            "name": "Enter the partnership's name",
            "area": "Enter the area the partnership covers",
            "aim": "Enter the overarching aim",
            "short_code": "Enter a short code, like BD",
            "colour": "Enter a colour, like #1d5c63",
            "contact_email": "Enter a contact e-mail address for the public",
        })

    def clean_short_code(self) -> str:
        return (self.cleaned_data.get("short_code") or "").strip().upper()

    def clean_colour(self) -> str:
        return (self.cleaned_data.get("colour") or "").strip().lower()


class PolicingBodyForm(forms.ModelForm):
    """A change of the local policing body, from a date."""

    from_date = GovUKDateField(
        what="the date it takes on the policing functions",
        label="In force from",
        help_text="The first day its plan applies to the partnership. It may be in the "
                  "future, for a change already announced. For example, 8 5 2028.",
        min_year=2000,
        max_year=2100,
    )

    class Meta:
        model = PolicingBody
        fields = ["kind", "name", "plan_title", "plan_url", "from_date"]
        labels = {
            "kind": "Kind of body",
            "name": "Name of the body",
            "plan_title": "Title of its police and crime plan (optional)",
            "plan_url": "Link to its plan (optional)",
        }
        help_texts = {
            "name": "As it reads after “the” in a sentence, like Thames Valley Policing and "
                    "Crime Board or Mayor of Greater Manchester.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            # crispy-forms-gds styles text inputs, not URL inputs.
            "plan_url": forms.TextInput(attrs={"inputmode": "url", "spellcheck": "false"}),
        }
        error_messages = {
            "plan_url": {"invalid": "Enter a web address, like https://www.example.org/plan"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PolicingBody.Kind.choices
        _setup(self, {"kind": "Choose the kind of body",
                      "name": "Enter the name of the body"})

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_from_date(self):
        day = self.cleaned_data["from_date"]
        taken = PolicingBody.objects.filter(
            partnership_id=self.instance.partnership_id, from_date=day
        ).first()
        if taken:
            raise ValidationError(
                f"{taken.name} is already recorded from {day:%-d %B %Y}: choose another date"
            )
        return day


class PolicingRecommendationForm(forms.ModelForm):
    """A recommendation received from the local policing body."""

    received_on = GovUKDateField(
        what="the date it was received", label="Received on",
        help_text="For example, 14 3 2027.", min_year=2000, max_year=2100,
    )

    class Meta:
        model = PolicingRecommendation
        fields = ["received_on", "recommendation"]
        labels = {"recommendation": "What the body recommends"}
        widgets = {"recommendation": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _setup(self, {"recommendation": "Enter what the body recommends"})

    def _post_clean(self):
        pass  # the service checks the record and says what to fix next to the field


class PolicingResponseForm(forms.ModelForm):
    """The partnership's response to a recommendation, with reasons and date."""

    responded_on = GovUKDateField(
        what="the date the partnership answered", label="Answered on",
        help_text="For example, 2 5 2027.", required=False, min_year=2000, max_year=2100,
    )

    class Meta:
        model = PolicingRecommendation
        fields = ["response", "reasons", "responded_on"]
        labels = {"response": "The partnership's response", "reasons": "Reasons"}
        help_texts = {"reasons": "Why the partnership accepts it, in part or not at all."}
        widgets = {"response": forms.RadioSelect, "reasons": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["response"].choices = PolicingRecommendation.Response.choices
        _setup(self, {"response": "Choose the partnership's response"})

    def _post_clean(self):
        pass  # the service checks the record and says what to fix next to the field


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "is_responsible_authority"]
        labels = {
            "name": "Full name",
            "short_name": "Short name (optional)",
            "kind": "Kind of organisation",
            "is_responsible_authority": "It is a responsible authority",
        }
        help_texts = {"short_name": "Used in tables where space is short, like TVP."}
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Organisation.Kind.choices
        _setup(self, {"name": "Enter the organisation's full name",
                      "kind": "Choose the kind of organisation"})

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = Organisation.objects.filter(
            partnership_id=self.instance.partnership_id, name__iexact=name
        ).exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError("The partnership already has an organisation of this name")
        return name


class BoardForm(forms.ModelForm):
    class Meta:
        model = Board
        fields = ["name", "slug", "purpose", "quorum", "order"]
        labels = {
            "name": "Name of the board",
            "slug": "Short web address",
            "purpose": "Purpose (optional)",
            "quorum": "Quorum",
            "order": "Position in lists",
        }
        help_texts = {
            "slug": "Lower-case letters, digits and hyphens, like risk-board.",
            "quorum": "How many voting members (chair and members, not observers or the "
                      "secretary) must take part for a decision.",
            "order": "Boards are listed from the lowest number up, for example the order "
                     "in which a strategy goes to them.",
        }
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("quorum", "order"):
            self.fields[name].widget.attrs["class"] = "govuk-input--width-3"
            self.fields[name].error_messages["invalid"] = "Enter a whole number, like 3"
        self.fields["quorum"].min_value = 1
        _setup(self, {"name": "Enter the board's name", "slug": "Enter a short web address",
                      "quorum": "Enter the quorum, like 3",
                      "order": "Enter its position, like 1"})

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        others = Board.objects.filter(
            partnership_id=self.instance.partnership_id, slug=slug
        ).exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError("Another board of the partnership has this web address")
        return slug

    def clean_quorum(self) -> int:
        quorum = self.cleaned_data["quorum"]
        if quorum < 1:
            raise ValidationError("The quorum must be at least 1")
        return quorum


class BoardMemberForm(forms.Form):
    user = forms.ModelChoiceField(label="Person", queryset=None)
    role = forms.ChoiceField(label="Role on the board", choices=BoardMembership.Role.choices,
                             widget=forms.RadioSelect)
    organisation = forms.ModelChoiceField(
        label="Organisation they represent (optional)", queryset=None, required=False
    )

    def __init__(self, *args, board: Board, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["user"]
        else:
            self.fields["user"].queryset = people_of(board.partnership_id).exclude(
                board_memberships__board=board
            )
            self.fields["user"].label_from_instance = _person_label
            self.fields["user"].empty_label = "Choose a person"
            self.fields["user"].help_text = (
                "People of the partnership not yet on this board. Invite someone from the "
                "people page to add them here."
            )
        organisation_choices(self.fields["organisation"], board.partnership)
        self.fields["organisation"].empty_label = "None"
        _setup(self, {"user": "Choose a person", "role": "Choose their role on the board"})


class PersonForm(forms.Form):
    """A person's role in the partnership; a partner officer works for one of
    its organisations."""

    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices,
                             widget=forms.RadioSelect)
    organisation = forms.ModelChoiceField(label="Organisation", queryset=None, required=False)
    job_title = forms.CharField(label="Job title (optional)", max_length=200, required=False)

    required_messages = {"role": "Choose their role"}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        organisation_choices(self.fields["organisation"], partnership)
        self.fields["organisation"].empty_label = "Choose an organisation"
        self.fields["role"].help_text = ROLE_HELP
        _setup(self, self.required_messages)

    def clean(self):
        data = super().clean()
        if data.get("role") == Membership.Role.PARTNER and not data.get("organisation"):
            self.add_error(
                "organisation", "Choose the organisation a partner officer works for"
            )
        return data


class InvitationForm(PersonForm):
    """A new person: who they are, then their role."""

    email = forms.EmailField(label="E-mail address")
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)

    field_order = ["email", "first_name", "last_name", "role", "organisation", "job_title"]
    required_messages = {
        "email": "Enter the person's e-mail address",
        "first_name": "Enter their first name",
        "last_name": "Enter their last name",
        **PersonForm.required_messages,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["email"].error_messages["invalid"] = (
            "Enter an e-mail address in the right format, like name@example.org"
        )


class InvitationPasswordForm(SetPasswordForm):
    """Django's SetPasswordForm (with the password validators), GOV.UK styled."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Password"
        self.fields["new_password2"].label = "Type the password again"
        self.fields["new_password1"].error_messages["required"] = "Enter a password"
        self.fields["new_password2"].error_messages["required"] = "Type the password again"
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": "The two passwords are not the same",
        }
        _setup(self)


ROLE_HELP = (
    "A partnership officer runs the strategy process. A partner officer updates what their "
    "organisation owns. A partnership administrator does what an officer does and sets up "
    "the partnership: its details, organisations, boards and people."
)


def _person_label(user) -> str:
    name = user.get_full_name() or user.username
    return f"{name} ({user.email})" if user.email else name


class LogoForm(forms.Form):
    logo = forms.FileField(
        label="Upload a logo",
        help_text="A PNG, JPEG, GIF or WebP image of 1 MB or smaller. It is shown beside the "
        "partnership's name, 40 pixels high, on a background of the brand colour: a logo "
        "with a transparent background works best.",
        error_messages={
            "required": "Choose an image to upload",
            "empty": "The file is empty: choose a PNG, JPEG, GIF or WebP image",
            "invalid": "Choose an image to upload",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _setup(self)


class NewPartnershipForm(forms.ModelForm):
    """What an installation's operator gives to add a partnership; its first
    administrator is invited and sets up everything else."""

    administrator_email = forms.EmailField(
        label="Administrator's e-mail address",
        help_text="We send them a link to set their password and set up the partnership.",
    )
    administrator_first_name = forms.CharField(label="Administrator's first name",
                                               max_length=150)
    administrator_last_name = forms.CharField(label="Administrator's last name",
                                              max_length=150)

    class Meta:
        model = Partnership
        fields = ["name", "slug", "short_code", "area", "aim"]
        labels = {
            "name": "Name of the partnership",
            "slug": "Web address name",
            "short_code": "Short code for references",
            "area": "Area it covers",
            "aim": "Overarching aim",
        }
        help_texts = {
            "slug": "Lower-case letters, digits and hyphens, like safer-borough. Leave blank to "
                    "make one from the name.",
            "short_code": "2 to 5 capital letters or digits. It starts every consultation "
                          "response reference, like BD-7Q4K-92XD.",
            "area": "",
            "aim": "For example: to make the area a safe place to live, work and visit. The "
                   "administrator can change it later.",
        }
        widgets = {"aim": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "slug": {"unique": "Another partnership uses this web address name: choose another",
                     "invalid": "Use only lower-case letters, digits and hyphens"},
            "short_code": {"unique": "Another partnership uses this short code: choose another"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["administrator_email"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false"}
        )
        self.fields["administrator_email"].error_messages["invalid"] = (
            "Enter an e-mail address in the right format, like name@example.org"
        )
        _setup(self, {
            "name": "Enter the partnership's name",
            "short_code": "Enter a short code of 2 to 5 capital letters or digits",
            "area": "Enter the area the partnership covers",
            "aim": "Enter the partnership's overarching aim",
            "administrator_email": "Enter the administrator's e-mail address",
            "administrator_first_name": "Enter the administrator's first name",
            "administrator_last_name": "Enter the administrator's last name",
        })

    def clean_short_code(self):
        return (self.cleaned_data.get("short_code") or "").strip().upper()

    def clean(self):
        from django.utils.text import slugify

        data = super().clean()
        if not data.get("slug") and data.get("name"):
            slug = slugify(data["name"])[:80].strip("-")
            if not slug:
                self.add_error("slug", "Enter a web address name: the name has no letters "
                                       "or digits to make one from")
            elif Partnership.objects.filter(slug=slug).exists():
                self.add_error("slug", f"Another partnership uses “{slug}”: enter another "
                                       "web address name")
            else:
                data["slug"] = slug
        return data
