"""What must be equal after a partnership archive is imported elsewhere:
for every kind, the number of rows and each row's fields, with each link
written as the fields of the row it points at (ids differ between
installations, what they point at must not).

Run as `python -m tests.archive.keys <slug> [<slug>...]` in an installation
to print the signatures as JSON.
"""

from __future__ import annotations

import hashlib
import json
import sys


def _plain(f) -> bool:
    from django.db import models

    return not f.is_relation and not f.primary_key and not isinstance(f, models.FileField)


def signatures(slug: str) -> dict[str, list[str]]:
    from django.contrib.auth import get_user_model
    from django.core.files.storage import default_storage
    from django.db import models

    from archive.export import encode
    from archive.kinds import KINDS, RESPONSIBILITY_MODEL, fields_of, m2m_of
    from partnerships.models import Partnership

    partnership = Partnership.objects.get(slug=slug)
    User = get_user_model()
    plain: dict[type, dict[int, str]] = {}

    def digest(values) -> str:
        return hashlib.sha256(json.dumps(values, default=str, sort_keys=True).encode()).hexdigest()

    def target_sig(model, pk):
        if pk is None:
            return None
        if model is User:
            user = User.objects.get(pk=pk)
            return [user.first_name, user.last_name, user.email]
        if model is RESPONSIBILITY_MODEL:
            return RESPONSIBILITY_MODEL.objects.get(pk=pk).code
        if model in plain:
            return plain[model].get(pk, "outside the partnership")
        return "outside the partnership"

    found: dict[str, list[str]] = {}
    for kind in KINDS:
        fields = fields_of(kind)
        rows = list(kind.queryset(partnership))
        plain[kind.model] = {
            row.pk: digest([encode(f.value_from_object(row)) for f in fields if _plain(f)])
            for row in rows
        }
        signed = []
        for row in rows:
            values = [encode(f.value_from_object(row)) for f in fields if _plain(f)]
            for f in fields:
                if f.is_relation:
                    values.append(target_sig(f.related_model, getattr(row, f.attname)))
                elif isinstance(f, models.FileField):
                    name = f.value_from_object(row).name
                    values.append(
                        hashlib.sha256(default_storage.open(name).read()).hexdigest()
                        if name and default_storage.exists(name) else None
                    )
            for f in m2m_of(kind):
                values.append(sorted(
                    str(target_sig(f.related_model, pk))
                    for pk in getattr(row, f.name).values_list("pk", flat=True)
                ))
            signed.append(digest(values))
        found[kind.name] = sorted(signed)
    return found


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps({slug: signatures(slug) for slug in sys.argv[1:]}))
