"""The officer's form for a consultation's wording in another language: one
box per English text, the English shown as the box's hint."""

from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from consultation.translations import KINDS_WITH_OPTIONS, LIMITS, Wording
from safermk.languages import url_code


def _english_hint(text: str):
    if not text:
        return mark_safe("English: <em>none entered</em>")
    return format_html('English: <span lang="en">{}</span>', text)


class TranslationForm(forms.Form):
    """Fields are named consultation-title, section-<pk>-intro,
    question-<pk>-text, question-<pk>-choice-<n>. `groups` gives them in
    page order for the template: the consultation, then each section with
    its questions."""

    def __init__(self, *args, consultation, sections, questions_by_section, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        # Officers read the name in English: "Welsh".
        self.language_name = translation.get_language_info(language)["name"]
        self.questions = [q for qs in questions_by_section.values() for q in qs]
        self.groups = []
        self.groups.append({
            "heading": "The consultation",
            "fields": [
                self._add("consultation-title", consultation, "title", "Title",
                          LIMITS[("consultation", "title")]),
                self._add("consultation-summary", consultation, "summary", "Summary",
                          LIMITS[("consultation", "summary")], long=True),
            ],
        })
        for number, section in enumerate(sections, start=1):
            fields = [
                self._add(f"section-{section.pk}-title", section, "title", "Section title",
                          LIMITS[("section", "title")]),
                self._add(f"section-{section.pk}-intro", section, "intro", "Introduction",
                          LIMITS[("section", "intro")], long=True),
            ]
            questions = []
            for q_number, question in enumerate(questions_by_section.get(section.pk, []),
                                                start=1):
                q_fields = [
                    self._add(f"question-{question.pk}-text", question, "text", "Question",
                              LIMITS[("question", "text")]),
                    self._add(f"question-{question.pk}-hint", question, "hint", "Hint",
                              LIMITS[("question", "hint")]),
                ]
                options = []
                if question.kind in KINDS_WITH_OPTIONS:
                    given = (question.translations or {}).get(language, {}).get("choices") or []
                    for i, english in enumerate(question.choices or []):
                        name = f"question-{question.pk}-choice-{i}"
                        self.fields[name] = self._field(
                            f"Option {i + 1}", english, LIMITS[("question", "choices")],
                        )
                        if i < len(given) and isinstance(given[i], str):
                            self.initial[name] = given[i]
                        options.append(name)
                questions.append({
                    "heading": f"Question {q_number}", "question": question,
                    "fields": q_fields, "options": options,
                })
            self.groups.append({
                "heading": f"Section {number}", "section": section, "fields": fields,
                "questions": questions,
            })
        # The template shows bound fields (with their errors), in page order.
        for group in self.groups:
            group["fields"] = [self[name] for name in group["fields"]]
            for q in group.get("questions", []):
                q["fields"] = [self[name] for name in q["fields"]]
                q["options"] = [self[name] for name in q["options"]]

    def _field(self, label: str, english: str, limit: int, long: bool = False):
        attrs = {"lang": url_code(self.language), "spellcheck": "true"}
        if long:
            widget = forms.Textarea(attrs=attrs | {"rows": 4})
        else:
            widget = forms.TextInput(attrs=attrs | {"class": "govuk-input"})
        return forms.CharField(
            label=f"{label} in {self.language_name}", required=False, max_length=limit,
            help_text=_english_hint(english), widget=widget,
            error_messages={
                "max_length": f"{label} must be %(limit_value)d characters or fewer "
                              f"(it is %(show_value)d)",
            },
        )

    def _add(self, name, obj, field, label, limit, long=False) -> str:
        self.fields[name] = self._field(label, getattr(obj, field), limit, long=long)
        value = (obj.translations or {}).get(self.language, {}).get(field)
        if isinstance(value, str):
            self.initial[name] = value
        return name

    def wording(self) -> Wording:
        data = self.cleaned_data
        sections, questions = {}, {}
        for name, value in data.items():
            kind, _, rest = name.partition("-")
            if kind == "section":
                pk, _, field = rest.partition("-")
                sections.setdefault(int(pk), {})[field] = value
            elif kind == "question":
                pk, _, field = rest.partition("-")
                entry = questions.setdefault(int(pk), {})
                if field.startswith("choice-"):
                    entry.setdefault("choices", []).append((int(field[7:]), value))
                else:
                    entry[field] = value
        for entry in questions.values():
            if "choices" in entry:
                entry["choices"] = [v for _i, v in sorted(entry["choices"])]
        consultation = {
            "title": data.get("consultation-title", ""),
            "summary": data.get("consultation-summary", ""),
        }
        return Wording(consultation=consultation, sections=sections, questions=questions)

    def add_service_errors(self, errors: dict) -> None:
        """Errors from consultation_translation_save, beside their boxes
        ("question-5-choices" beside the question's first option)."""
        for key, messages in errors.items():
            name = key
            if key.endswith("-choices"):
                name = key[: -len("choices")] + "choice-0"
            self.add_error(name if name in self.fields else None, messages)
