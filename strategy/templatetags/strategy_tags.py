from decimal import Decimal

from django import template

register = template.Library()

STRATEGY_TAGS = {
    "planning": "govuk-tag--grey",
    "drafting": "govuk-tag--light-blue",
    "consultation": "govuk-tag--purple",
    "sign_off": "govuk-tag--yellow",
    "adopted": "govuk-tag--turquoise",
    "published": "govuk-tag--green",
    "superseded": "govuk-tag--grey",
}

PROPOSAL_TAGS = {
    "proposed": "govuk-tag--blue",
    "accepted": "govuk-tag--green",
    "merged": "govuk-tag--turquoise",
    "declined": "govuk-tag--grey",
}


@register.filter
def strategy_tag(status: str) -> str:
    return STRATEGY_TAGS.get(status, "govuk-tag--grey")


@register.filter
def proposal_tag(status: str) -> str:
    return PROPOSAL_TAGS.get(status, "govuk-tag--grey")


@register.filter
def number(value) -> str:
    """A value without needless decimals: 120, 45.5, 1,250."""
    if value is None or value == "":
        return ""
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"
