import datetime as dt
from urllib.parse import urlencode

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false"}
        )
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        # Without an explicit layout crispy-forms-gds prints the size as a bare
        # class ("s") instead of govuk-label--s.
        self.helper.layout = Layout(*self.fields)


MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}


class GovUKDateField(DateInputField):
    """The GOV.UK date input (day, month and year boxes) with the design
    system's error messages, naming the date asked for: "Enter the target
    date", "The target date must include a month", "The target date must be
    a real date", "Year must include 4 numbers", "Year must be between 1900
    and 2200". Anything typed gives one of these, never an error page:
    letters, a 30-digit year, a NUL byte. Months may be typed as names
    ("march", "mar"), as the pattern advises.

    `what` names the date with its article ("the date of the decision").
    """

    def __init__(self, *, what: str, min_year: int = 1900, max_year: int = 2200, **kwargs):
        # Each missing part gets its own message rather than "enter the date".
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        self.what = what
        self.min_year = min_year
        self.max_year = max_year
        self.error_messages = {
            **self.error_messages,
            "required": f"Enter {what}",
            "invalid": f"{self.subject} must be a real date",
        }

    @property
    def subject(self) -> str:
        return self.what[:1].upper() + self.what[1:]

    def clean(self, value):
        for sub in self.fields:
            sub.widget.errors = []
        if isinstance(value, dt.date):
            value = self.widget.decompress(value)
        if not isinstance(value, (list, tuple)):
            value = ()
        day, month, year = (
            ("" if part is None else str(part)).strip() for part in (list(value) + [None] * 3)[:3]
        )
        if not (day or month or year):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        missing = [name for name, part in (("day", day), ("month", month), ("year", year))
                   if not part]
        if missing:
            raise ValidationError(
                f"{self.subject} must include a {' and '.join(missing)}", code="incomplete"
            )
        out = self._to_date(day, month, year)
        self.validate(out)
        self.run_validators(out)
        return out

    def _to_date(self, day: str, month: str, year: str) -> dt.date:
        month = str(MONTH_NAMES.get(month.lower(), month))
        # Plain ASCII digits only: "²" is a digit to isdigit() but not to int().
        if not all(p.isascii() and p.isdigit() and len(p) <= 2 for p in (day, month)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if not (year.isascii() and year.isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers", code="year_digits")
        if not self.min_year <= int(year) <= self.max_year:
            raise ValidationError(
                f"Year must be between {self.min_year} and {self.max_year}", code="year_range"
            )
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def compress(self, data_list):
        # Only reached through MultiValueField paths clean() replaces; kept
        # safe for callers that use it directly.
        day, month, year = (list(data_list) + ["", "", ""])[:3]
        if not (day and month and year):
            return None
        return self._to_date(str(day).strip(), str(month).strip(), str(year).strip())


# PostgreSQL integer columns: an id beyond this can name nothing.
MAX_ID = 2**31 - 1


def _no_control_characters(value: str) -> None:
    # PostgreSQL refuses NUL in a string; the other control characters are
    # never part of a search, only of an attack or a mangled paste.
    if any(ord(c) < 32 and c not in "\t\n\r" or ord(c) == 127 for c in value):
        raise ValidationError("Remove the hidden control characters", code="control")


class SearchField(forms.CharField):
    """Words typed into a search box: the one place that decides what
    search text is acceptable."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        # Replaces Django's "Null characters are not allowed." with a check
        # for every control character and a plainer message.
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ] + [_no_control_characters]
        self.error_messages["max_length"] = (
            f"Search must be {self.max_length} characters or fewer"
        )


class IdField(forms.IntegerField):
    """An id chosen from a list, read from a query string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)
        for code in ("invalid", "min_value", "max_value"):
            self.error_messages[code] = "Choose from the list"


class LongChoiceField(forms.Field):
    """A value chosen from a long list read from the database, such as every
    partnership of the installation: checked against a set of the values.
    Django's ChoiceField normalises and scans every choice on each request,
    which over 300 of them costs more than the page's queries."""

    default_error_messages = {"invalid_choice": "Choose from the list"}

    def __init__(self, *, choices=(), **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.choices = choices

    @property
    def choices(self) -> list[tuple[str, str]]:
        return self._choices

    @choices.setter
    def choices(self, value) -> None:
        self._choices = [(str(v), label) for v, label in value]
        self._values = {v for v, _ in self._choices}

    def to_python(self, value) -> str:
        return "" if value in self.empty_values else str(value)

    def validate(self, value) -> None:
        super().validate(value)
        if value and value not in self._values:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


class FilterForm(forms.Form):
    """Filters read from a page's query string. A filter that is not valid
    is left out and its message shown above the list: a hand-edited or
    hostile address never gives an error page."""

    def __init__(self, data, *, choices: dict[str, list] | None = None, **kwargs):
        """`choices` adds options read from the database to a choice
        field, after the ones it declares (such as "All")."""
        super().__init__(data, **kwargs)
        for name, options in (choices or {}).items():
            self.fields[name].choices = [*self.fields[name].choices, *options]
        self.is_valid()

    @property
    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}

    @property
    def values(self) -> dict[str, str]:
        """What to show back in the filter boxes: valid values only."""
        return {name: str(self.filters.get(name, "")) for name in self.fields}

    @property
    def problems(self) -> list[str]:
        return [
            f"{self.fields[name].label}: {message}"
            for name, messages in self.errors.items()
            for message in messages
        ]

    def querystring(self) -> str:
        return urlencode({name: value for name, value in self.values.items() if value})


class PagedFilterForm(FilterForm):
    """The filters of a list shown a page at a time, and the page number. A
    page number that is not one (`abc`, `-1`, 30 digits) shows the first
    page without a message: it is not something people choose in the form.
    The page stays out of `querystring()`, which pagination links extend."""

    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    @property
    def page_number(self) -> int:
        return self.filters.get("page", 1)

    @property
    def problems(self) -> list[str]:
        return [
            f"{self.fields[name].label}: {message}"
            for name, messages in self.errors.items()
            if name != "page"
            for message in messages
        ]

    def querystring(self) -> str:
        return urlencode(
            {name: value for name, value in self.values.items() if value and name != "page"}
        )


class ModelMultipleIdField(forms.ModelMultipleChoiceField):
    """Ticked boxes of a list of objects. An id beyond the database's
    integers is not a choice; SQLite would raise OverflowError on it in the
    `pk__in` query (PostgreSQL only finds nothing)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, (list, tuple)) else [value]:
            text = str(pk).strip().lstrip("-")
            if text.isascii() and text.isdigit() and (len(text) > 10 or int(text) > MAX_ID):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)
