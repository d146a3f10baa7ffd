"""Walking the public journey with the test client."""

from __future__ import annotations

from django.urls import reverse

from consultation.models import Question, Section


def questions_for(consultation, audience_for: str) -> list[Question]:
    return list(
        Question.objects.filter(section__consultation=consultation,
                                section__audience__in=Section.FOR_AUDIENCE[audience_for])
        .order_by("section__order", "section__pk", "order", "pk")
    )


def answers_for_section(consultation, section, *, text: str = "More street lighting") -> dict:
    """POST data answering every question of a section."""
    data = {}
    priorities = consultation.draft_priorities
    for q in section.questions.all():
        name = f"q{q.pk}"
        if q.kind == Question.Kind.SAFETY:
            data[f"{name}_day"] = "very_safe"
            data[f"{name}_dark"] = "fairly_unsafe"
        elif q.kind == Question.Kind.RANKING:
            for rank, p in enumerate(priorities, start=1):
                data[f"{name}_r{p['id']}"] = str(rank)
        elif q.kind == Question.Kind.TEXT:
            data[name] = text
        elif q.kind == Question.Kind.MULTIPLE:
            data[name] = q.choices[:2]
        else:
            data[name] = q.option_pairs()[0][0]
    return data


def sections_for(consultation, audience):
    from consultation.journey import sections_for as _sections

    return _sections(consultation, audience)


def url(name: str, consultation, *args) -> str:
    return reverse(f"consultation:{name}", args=[consultation.slug, *args])


def answer_everything_as_public(client, consultation, audience="public") -> None:
    """Start and answer every page up to check-your-answers."""
    response = client.post(url("respond", consultation),
                           {"audience": audience, "consent": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    for number, section in enumerate(sections_for(consultation, audience), start=1):
        response = client.post(url("respond_step", consultation, number),
                               answers_for_section(consultation, section))
        assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(url("respond_comments", consultation), {"c0": "Good priority"})
    assert response.status_code == 302
    response = client.post(url("respond_about_you", consultation),
                           {"age_band": "25_34", "sex": "female", "postcode_district": "mk9"})
    assert response.status_code == 302, response.content.decode()[:3000]


def check_token(client, consultation) -> str:
    page = client.get(url("respond_check", consultation))
    return page.context["state"]["token"]
