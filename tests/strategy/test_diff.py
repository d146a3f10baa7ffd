"""The diff between two version contents: a pure function, matched by id."""

import copy

from strategy.diff import diff_contents, word_segments


def _content():
    return {
        "schema": 1,
        "strategy": {
            "title": "Strategy 2022–2025", "slug": "s", "partnership": "P", "kind": "full",
            "period_start": "2022-04-01", "period_end": "2025-03-31",
            "aim": "To make the town a safe place to live, work and visit.", "foreword": "",
            "pcc_plan_reference": "Plan", "pcc_alignment": "", "responsibilities": ["Prevent"],
            "assessments": [],
        },
        "priorities": [
            {"id": 1, "title": "Violence", "description": "", "responsibilities": [],
             "objectives": [
                 {"id": 10, "title": "Fewer knife crimes", "description": "",
                  "lead_organisation": "Police",
                  "measures": [
                      {"id": 100, "title": "Knife crime offences", "unit": "offences",
                       "baseline_value": "66.00", "baseline_date": "2021-03-31",
                       "target_value": "55.00", "target_date": "2025-03-31",
                       "direction": "lower", "frequency": "quarterly",
                       "data_source": "Police recorded crime",
                       "owner_organisation": "Police"},
                  ]},
             ]},
            {"id": 2, "title": "Drugs", "description": "", "responsibilities": [],
             "objectives": []},
        ],
    }


def test_identical_contents_have_no_changes():
    diff = diff_contents(_content(), _content())
    assert not diff.has_changes


def test_a_changed_text_field_shows_before_and_after_word_by_word():
    after = _content()
    after["strategy"]["aim"] = "To make the town a safer place to live, work and visit."
    diff = diff_contents(_content(), after)
    (change,) = diff.text
    assert change.label == "Overarching aim"
    assert change.before.startswith("To make the town a safe place")
    assert change.after.startswith("To make the town a safer place")
    assert ("delete", "safe") in change.segments and ("insert", "safer") in change.segments


def test_added_removed_and_changed_priorities_are_matched_by_id():
    after = _content()
    after["priorities"][0]["title"] = "Serious violence"  # renamed, same id
    del after["priorities"][1]  # removed
    after["priorities"].append({"id": 3, "title": "Exploitation", "description": "",
                                "responsibilities": [], "objectives": []})
    diff = diff_contents(_content(), after)
    assert [p["title"] for p in diff.priorities.added] == ["Exploitation"]
    assert [p["title"] for p in diff.priorities.removed] == ["Drugs"]
    (changed,) = diff.priorities.changed
    assert changed.id == 1 and changed.title == "Serious violence"
    assert [(c.label, c.before, c.after) for c in changed.changes] == [
        ("Title", "Violence", "Serious violence")
    ]


def test_reordering_priorities_shows_their_new_positions():
    after = _content()
    after["priorities"].reverse()
    diff = diff_contents(_content(), after)
    positions = {c.title: [(x.before, x.after) for x in c.changes] for c in diff.priorities.changed}
    assert positions == {"Violence": [("1", "2")], "Drugs": [("2", "1")]}


def test_changed_measures_and_objectives_report_each_field():
    after = copy.deepcopy(_content())
    measure = after["priorities"][0]["objectives"][0]["measures"][0]
    measure["target_value"] = "50.00"
    measure["direction"] = "higher"
    after["priorities"][0]["objectives"][0]["lead_organisation"] = "Council"
    diff = diff_contents(_content(), after)
    (m,) = diff.measures.changed
    assert {(c.label, c.before, c.after) for c in m.changes} == {
        ("Target", "55.00", "50.00"),
        ("Direction", "Lower is better", "Higher is better"),
    }
    (o,) = diff.objectives.changed
    assert [(c.label, c.before, c.after) for c in o.changes] == [
        ("Lead organisation", "Police", "Council")
    ]


def test_an_objective_moved_to_another_priority_is_a_change_not_a_removal():
    after = _content()
    objective = after["priorities"][0]["objectives"].pop()
    after["priorities"][1]["objectives"].append(objective)
    diff = diff_contents(_content(), after)
    assert not diff.objectives.added and not diff.objectives.removed
    (o,) = diff.objectives.changed
    assert [(c.label, c.before, c.after) for c in o.changes] == [("Priority", "Violence", "Drugs")]


def test_removed_objectives_and_measures_are_listed():
    after = _content()
    after["priorities"][0]["objectives"] = []
    diff = diff_contents(_content(), after)
    assert [o["title"] for o in diff.objectives.removed] == ["Fewer knife crimes"]
    assert [m["title"] for m in diff.measures.removed] == ["Knife crime offences"]


def test_word_segments_rebuild_both_texts():
    before = "Reduce violent crime in the city"
    after = "Reduce serious violent crime in Milton Keynes"
    segments = word_segments(before, after)
    assert "".join(t for op, t in segments if op != "insert") == before
    assert "".join(t for op, t in segments if op != "delete") == after


def test_a_new_priority_brings_its_objectives_and_measures_as_added():
    after = _content()
    after["priorities"].append({
        "id": 3, "title": "Exploitation", "description": "", "responsibilities": [],
        "objectives": [{"id": 11, "title": "Find victims sooner", "description": "",
                        "lead_organisation": "Council",
                        "measures": [{"id": 101, "title": "Referrals to the NRM"}]}],
    })
    diff = diff_contents(_content(), after)
    assert [p["title"] for p in diff.priorities.added] == ["Exploitation"]
    assert [(o["title"], o["context"]) for o in diff.objectives.added] == [
        ("Find victims sooner", "Priority: Exploitation")
    ]
    assert [(m["title"], m["context"]) for m in diff.measures.added] == [
        ("Referrals to the NRM", "Objective: Find victims sooner")
    ]
