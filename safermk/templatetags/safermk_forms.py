"""Template helpers shared by every form page."""

import html

from django import forms, template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def error_anchor(bound_field) -> str:
    """The id an error-summary link should jump to: the field's first input.

    crispy-forms-gds numbers radio and checkbox inputs from 1
    (id_<name>_1); a multi-part input such as a GOV.UK date starts at its
    first box (id_<name>_0).
    """
    widget = bound_field.field.widget
    auto_id = bound_field.auto_id
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{auto_id}_1"
    if isinstance(widget, forms.MultiWidget):
        return f"{auto_id}_0"
    return auto_id


@register.simple_tag
def select_options(choices, selected="") -> SafeString:
    """<option>s for (value, label) pairs, `selected` chosen. For long
    lists (every partnership on a public filter): the template language
    takes milliseconds over 300 options, this a fraction of one."""
    # Every value and label is escaped here.
    return mark_safe(
        "".join(
            f'<option value="{html.escape(str(value))}"'
            f'{" selected" if str(value) == str(selected) else ""}>'
            f"{html.escape(str(label))}</option>"
            for value, label in choices
        )
    )
