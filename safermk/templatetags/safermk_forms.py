"""Template helpers shared by every form page."""

from django import forms, template

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
