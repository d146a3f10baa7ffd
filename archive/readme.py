"""README.txt inside a partnership archive: what each file holds and what
each field means, written from the models themselves so it never drifts
from the data."""

from __future__ import annotations

import textwrap

from django.db import models

from archive.kinds import (
    KINDS,
    PEOPLE,
    PEOPLE_FIELDS,
    RESPONSIBILITIES,
    RESPONSIBILITY_FIELDS,
    RESPONSIBILITY_MODEL,
    column,
    fields_of,
    m2m_of,
)

INTRO = """\
Partnership archive of {name} ({slug})
Made {made_at}. Archive format "{format}", schema version {schema_version}.

This archive holds everything the product keeps about one partnership, so it
can be read without the product or loaded into another installation
(`python manage.py import_partnership_archive <this file>`).

Files
- manifest.json: when the archive was made, the schema version, the number
  of rows of each kind, the size and SHA-256 of each stored file, and the
  database migrations of the installation it came from.
- data/<kind>.json: one JSON list per kind; each row is an object with the
  fields listed below. Dates are ISO 8601; times carry their UTC offset.
- csv/<kind>.csv: the same rows as a table, for kinds without structured
  fields (UTF-8, a header row; lists of ids as JSON, true/false for yes/no).
- files/<name>: the stored files the rows name (strategy PDFs, report PDFs,
  the logo), at the name the row's file field gives.

Ids and links
Every row has its `id` in the installation it came from. A field ending in
`_id` is a link to the row of that id in the kind named for it; a list of
ids is a many-to-many link. Links to people point at `people`, links to
statutory responsibilities at `statutory_responsibilities`. A link to a
record that is not the partnership's own (the installation's plan templates)
is left empty. An import gives every row a new id and keeps the links.

What is left out
- who has which role in the partnership, invitations and role changes: the
  installation that imports decides who may sign in;
- the audit trail, respondents' requests for a copy or erasure, requests for
  another format, reminders and calendar links;
- the field-by-field change history;
- police recorded crime: the area's LSOA list, the monthly counts, their
  import log and which measures follow a crime series (record the area and
  import the police.uk files again; the measurements written from them are
  in the archive).

Personal data in this archive
- people: the name and work e-mail address of each person a record names
  (authors, board members, reviewers, owners of measures);
- responses: free text only within each consultation's retention period (after
  it, the text reads "[deleted after the retention period]"), equality
  monitoring only within that period, organisation names of stakeholder
  responses; erased responses keep only their closed answers.
Keep this archive as securely as the installation itself, and delete it when
it has served its purpose.
"""


def _type(f: models.Field) -> str:
    if f.is_relation:
        target = f.related_model._meta
        return f"link to {target.verbose_name}" + (" (may be empty)" if f.null else "")
    kind = f.get_internal_type()
    names = {
        "CharField": "text", "TextField": "text", "SlugField": "text", "EmailField": "text",
        "URLField": "text", "BooleanField": "true/false", "DateField": "date",
        "DateTimeField": "date and time", "IntegerField": "whole number",
        "PositiveIntegerField": "whole number", "PositiveSmallIntegerField": "whole number",
        "PositiveBigIntegerField": "whole number", "SmallIntegerField": "whole number",
        "BigIntegerField": "whole number", "BigAutoField": "id", "AutoField": "id",
        "DecimalField": "decimal number (as text)", "FloatField": "number",
        "JSONField": "structured (JSON)", "FileField": "name of a file under files/",
        "DurationField": "seconds",
    }
    described = names.get(kind, kind)
    if f.null and not f.primary_key:
        described += ", may be empty"
    return described


def _describe(f: models.Field) -> str:
    parts = [str(f.verbose_name).capitalize() + "."]
    if f.help_text:
        parts.append(str(f.help_text))
    if f.choices:
        parts.append("One of: " + "; ".join(f"{value} ({label})" for value, label in f.choices
                                             if value != ""))
    return " ".join(parts)


def _field_lines(name: str, kind_type: str, description: str) -> list[str]:
    head = f"  - {name} ({kind_type}): "
    return textwrap.wrap(description, width=78, initial_indent=head,
                         subsequent_indent="      ")


def text(manifest: dict, *, tabular: set[str]) -> str:
    lines = [INTRO.format(
        name=manifest["partnership"]["name"], slug=manifest["partnership"]["slug"],
        made_at=manifest["made_at"], format=manifest["format"],
        schema_version=manifest["schema_version"],
    ), "Kinds and fields", ""]
    counts = manifest["counts"]
    for kind in KINDS:
        files = f"data/{kind.name}.json"
        if kind.name in tabular:
            files += f", csv/{kind.name}.csv"
        lines.append(f"{kind.name} (rows: {counts.get(kind.name, 0)}; {files})")
        lines.extend(textwrap.wrap(kind.description, width=78, initial_indent="  ",
                                   subsequent_indent="  "))
        for f in fields_of(kind):
            lines.extend(_field_lines(column(f), _type(f), _describe(f)))
        for f in m2m_of(kind):
            target = f.related_model._meta.verbose_name
            lines.extend(_field_lines(f.name, f"list of ids of {target}", _describe(f)))
        lines.append("")
    lines.append(f"{PEOPLE} (rows: {counts.get(PEOPLE, 0)}; data/{PEOPLE}.json, csv/{PEOPLE}.csv)")
    lines.append("  The people the records name. An import makes each an account that cannot")
    lines.append("  sign in until an administrator of that installation invites them.")
    for name in PEOPLE_FIELDS:
        lines.extend(_field_lines(name, "id" if name == "id" else "text", {
            "id": "Their id in the installation the archive came from.",
            "first_name": "First name.", "last_name": "Last name.",
            "email": "Work e-mail address.",
        }[name]))
    lines.append("")
    lines.append(f"{RESPONSIBILITIES} (rows: {counts.get(RESPONSIBILITIES, 0)}; "
                 f"data/{RESPONSIBILITIES}.json, csv/{RESPONSIBILITIES}.csv)")
    lines.append("  The statutory responsibilities that priorities, strategies and reports are")
    lines.append("  tagged with; an import matches them by code.")
    model_fields = {f.name: f for f in RESPONSIBILITY_MODEL._meta.concrete_fields}
    for name in RESPONSIBILITY_FIELDS:
        f = model_fields[name]
        lines.extend(_field_lines(name, _type(f), _describe(f)))
    lines.append("")
    return "\n".join(lines)
