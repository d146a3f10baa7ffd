"""Error-summary links jump to the first input of the field in error."""

from django import forms
from django.template import Context, Template


class _Form(forms.Form):
    name = forms.CharField(error_messages={"required": "Enter a name"})
    colour = forms.ChoiceField(
        choices=[("r", "Red"), ("g", "Green")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a colour"},
    )
    when = forms.SplitDateTimeField(error_messages={"required": "Enter a date and time"})


def _summary(form) -> str:
    return Template('{% include "includes/error_summary.html" %}').render(Context({"form": form}))


def test_each_error_links_to_the_first_input_of_its_field():
    form = _Form(data={})
    assert not form.is_valid()
    html = _summary(form)
    assert '<a href="#id_name">Enter a name</a>' in html
    # crispy-forms-gds numbers radio inputs from 1.
    assert '<a href="#id_colour_1">Select a colour</a>' in html
    # A multi-part input starts at its first box.
    assert '<a href="#id_when_0">Enter a date and time</a>' in html


def test_a_form_without_errors_shows_no_summary():
    assert "There is a problem" not in _summary(_Form())
