"""The audit page's filters, read from the query string."""

from __future__ import annotations

from django import forms

from audit.models import Action
from safermk.forms import FilterForm, GovUKDateField, IdField, SearchField


class AuditFilterForm(FilterForm):
    action = forms.ChoiceField(
        label="What happened", required=False, choices=[("", "Anything"), *Action.choices],
        error_messages={"invalid_choice": "Choose from the list"},
    )
    person = IdField(label="Who")
    since = GovUKDateField(what="the first day", label="From", required=False)
    until = GovUKDateField(what="the last day", label="To", required=False)
    q = SearchField(label="Search")

    def __init__(self, data, *, people_ids: set[int], **kwargs):
        self.people_ids = people_ids
        super().__init__(data, **kwargs)

    def clean_person(self):
        person = self.cleaned_data.get("person")
        if person is not None and person not in self.people_ids:
            raise forms.ValidationError("Choose from the list")
        return person

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The last day must be the same as or after the first day")
        return data

    @property
    def values(self) -> dict[str, str]:
        values = super().values
        for name in ("since", "until"):
            day = self.filters.get(name)
            values[f"{name}_0"] = str(day.day) if day else ""
            values[f"{name}_1"] = str(day.month) if day else ""
            values[f"{name}_2"] = str(day.year) if day else ""
        return values

    def querystring(self) -> str:
        from urllib.parse import urlencode

        values = self.values
        keep = {k: v for k, v in values.items() if v and k not in ("since", "until")}
        return urlencode(keep)
