"""The one GOV.UK date field: whatever is typed into the day, month and year
boxes, the person gets the design system's message, never an error page."""

import datetime as dt

import pytest
from django import forms

from safermk.forms import GovUKDateField


class _Form(forms.Form):
    due = GovUKDateField(what="the due date")
    optional = GovUKDateField(what="the meeting date", required=False)
    recent = GovUKDateField(what="the decision date", min_year=2000, max_year=2100,
                            required=False)


def _errors(day, month, year, name="due"):
    data = {"due_0": "1", "due_1": "1", "due_2": "2022"}
    data.update({f"{name}_0": day, f"{name}_1": month, f"{name}_2": year})
    form = _Form(data)
    assert not form.is_valid() or name not in form.errors
    return form.errors.get(name, [])


@pytest.mark.parametrize("day, month, year, message", [
    ("", "", "", "Enter the due date"),
    ("1", "", "2022", "The due date must include a month"),
    ("", "", "2022", "The due date must include a day and month"),
    ("31", "2", "2022", "The due date must be a real date"),
    ("1", "13", "2022", "The due date must be a real date"),
    ("0", "1", "2022", "The due date must be a real date"),
    ("x", "1", "2022", "The due date must be a real date"),
    ("-1", "1", "2022", "The due date must be a real date"),
    ("1", "1", "-2022", "The due date must be a real date"),
    ("1", "1", "2022.5", "The due date must be a real date"),
    ("1", "1", "２０２２", "The due date must be a real date"),
    ("²", "1", "2022", "The due date must be a real date"),
    ("1\x00", "1", "2022", "The due date must be a real date"),
    ("1", "1", "22", "Year must include 4 numbers"),
    ("1", "1", "9" * 30, "Year must include 4 numbers"),
    ("1", "1", "1" * 5000, "Year must include 4 numbers"),
    ("1" * 5000, "1", "2022", "The due date must be a real date"),
    ("1", "1", "0999", "Year must be between 1900 and 2200"),
    ("1", "1", "9999", "Year must be between 1900 and 2200"),
])
def test_a_date_that_cannot_be_right_gets_the_gov_uk_message(day, month, year, message):
    assert _errors(day, month, year) == [message]


def test_an_optional_date_may_be_left_blank_but_not_half_filled():
    form = _Form({"due_0": "1", "due_1": "1", "due_2": "2022"})
    assert form.is_valid() and form.cleaned_data["optional"] is None
    assert _errors("", "6", "", name="optional") == ["The meeting date must include a day and year"]


def test_a_field_can_narrow_the_years_it_accepts():
    assert _errors("1", "1", "2202", name="recent") == ["Year must be between 2000 and 2100"]


@pytest.mark.parametrize("day, month, year", [
    (" 24 ", "3", "2022"), ("24", "03", "2022"), ("24", "March", "2022"), ("24", "mar", "2022"),
])
def test_a_real_date_is_read_with_spaces_leading_zeros_and_month_names(day, month, year):
    form = _Form({"due_0": day, "due_1": month, "due_2": year})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due"] == dt.date(2022, 3, 24)


def test_a_list_or_missing_parts_are_not_an_error_page():
    field = GovUKDateField(what="the due date")
    for value in (None, "2022-03-24", ["1"], ("1", "2"), 12, {"a": 1}):
        with pytest.raises(forms.ValidationError):
            field.clean(value)
    assert field.clean(dt.date(2022, 3, 24)) == dt.date(2022, 3, 24)
