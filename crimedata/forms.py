from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from crimedata.models import (
    ALL_CRIME,
    ALL_CRIME_LABEL,
    CrimeArea,
    CrimeType,
    bad_codes_message,
    lsoa_problems,
)
from crimedata.services import parse_lsoa_codes
from crimedata.streetfile import FileProblem, month_label, read_street_file
from partnerships.forms import _setup
from strategy.models import Measure

MAX_FILES = settings.DATA_UPLOAD_MAX_NUMBER_FILES
# An area bigger than any local authority's (the largest has about 1,000).
MAX_LSOAS = 5000


class AreaForm(forms.Form):
    lsoa_codes = forms.CharField(
        label="LSOA codes of the partnership's area",
        help_text="Paste the codes of the Lower layer Super Output Areas (LSOAs) the "
        "partnership covers, one a line or separated by commas, like E01016932. The Office "
        "for National Statistics lists each local authority's LSOAs.",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        max_length=200_000,
        error_messages={"max_length": "The list is too long: paste only the codes"},
    )
    population = forms.IntegerField(
        label="Population (optional)",
        help_text="The number of people living in the area, for rates per 1,000 people.",
        required=False, min_value=1, max_value=100_000_000,
        error_messages={"invalid": "Enter the population as a whole number, like 287000",
                        "min_value": "The population must be 1 or more",
                        "max_value": "Enter the population as a whole number, like 287000"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _setup(self, {"lsoa_codes": "Paste the LSOA codes of the partnership's area"})

    @staticmethod
    def initial_for(area: CrimeArea | None) -> dict:
        if area is None:
            return {}
        return {"lsoa_codes": "\n".join(area.lsoa_codes), "population": area.population}

    def clean_lsoa_codes(self) -> list[str]:
        codes = parse_lsoa_codes(self.cleaned_data["lsoa_codes"])
        if not codes:
            raise forms.ValidationError("Paste the LSOA codes of the partnership's area")
        if len(codes) > MAX_LSOAS:
            raise forms.ValidationError(f"Paste at most {MAX_LSOAS:,} codes")
        bad = lsoa_problems(codes)
        if bad:
            raise forms.ValidationError(bad_codes_message(bad))
        return codes


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,text/csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            if not data:
                return [single(None, initial)]
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    # An empty file is named in the message about it, with the others'.
    files = MultipleFileField(
        label="Street-level crime files", allow_empty_file=True,
        help_text=f"One or more monthly files from police.uk, as downloaded (their names end "
        f"-street.csv), each {filesizeformat(settings.UPLOAD_MAX_BYTES)} or smaller, at most "
        f"{MAX_FILES} at a time.",
        error_messages={
            "required": "Choose the police.uk street-level files to import",
            "invalid": "Choose the police.uk street-level files to import",
        },
    )

    def __init__(self, *args, area: CrimeArea, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        self.street_files = []
        _setup(self)

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if len(uploads) > MAX_FILES:
            raise forms.ValidationError(f"Choose at most {MAX_FILES} files at a time")
        area = set(self.area.lsoa_codes)
        problems = []
        by_month: dict = {}
        for upload in uploads:
            name = (upload.name or "the file")[:200]
            if upload.size > settings.UPLOAD_MAX_BYTES:
                problems.append(f"{name}: the file must be "
                                f"{filesizeformat(settings.UPLOAD_MAX_BYTES)} or smaller")
                continue
            try:
                street = read_street_file(upload.read(settings.UPLOAD_MAX_BYTES + 1), name=name,
                                          area=area)
            except FileProblem as exc:
                problems.append(f"{name}: {exc}")
                continue
            if street.month in by_month:
                problems.append(f"{name} and {by_month[street.month].name} are both for "
                                f"{month_label(street.month)}: upload each month once")
                continue
            by_month[street.month] = street
            self.street_files.append(street)
        if problems:
            raise forms.ValidationError(problems)
        self.street_files.sort(key=lambda s: s.month)
        return uploads


class LinkForm(forms.Form):
    measure = forms.ModelChoiceField(
        label="Measure", queryset=Measure.objects.none(), empty_label="Choose a measure",
        help_text="Its measurements will be worked out from the imported counts, for each "
        "period of its frequency whose months have all been imported.",
        error_messages={"invalid_choice": "Choose one of the partnership's measures"},
    )
    crime_type = forms.ChoiceField(
        label="Crime series", choices=[(ALL_CRIME, ALL_CRIME_LABEL), *CrimeType.choices],
        error_messages={"invalid_choice": "Choose one of the crime series"},
    )
    per_thousand = forms.BooleanField(
        label="Show it per 1,000 people (needs the area's population)", required=False,
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        measures = (
            Measure.objects.filter(objective__priority__strategy__partnership=partnership)
            .select_related("objective__priority__strategy")
            .order_by("objective__priority__strategy__period_start",
                      "objective__priority__strategy__pk", "objective__priority__order",
                      "objective__order", "order", "pk")
        )
        self.fields["measure"].queryset = measures
        self.fields["measure"].label_from_instance = (
            lambda m: f"{m.objective.priority.strategy.title}: {m.title} "
                      f"({m.get_frequency_display().lower()})"
        )
        _setup(self, {"measure": "Choose the measure that should follow the crime series",
                      "crime_type": "Choose the crime series"})
