"""The readable difference between two strategy versions."""

from milestones.versiondiff import ADDED, CHANGED, REMOVED, version_diff


def _content(**strategy):
    return {
        "strategy": {"title": "Strategy", "aim": "Safe", **strategy},
        "priorities": [
            {
                "id": 1, "title": "Road safety", "description": "",
                "objectives": [
                    {"id": 10, "title": "Fewer collisions", "lead_organisation": "Council",
                     "measures": [{"id": 100, "title": "Killed or seriously injured",
                                   "target_value": "80", "unit": "people"}]},
                ],
            },
            {"id": 2, "title": "Violence", "objectives": []},
        ],
    }


def test_identical_versions_have_no_differences():
    assert version_diff(_content(), _content()).is_empty


def test_changed_text_is_listed_with_the_old_and_new_wording():
    diff = version_diff(_content(), _content(aim="Safer", foreword="New"))
    assert [(c.label, c.old, c.new) for c in diff.text] == [
        ("Overarching aim", "Safe", "Safer"),
        ("Foreword", "", "New"),
    ]


def test_added_removed_and_changed_priorities_objectives_and_measures():
    old = _content()
    new = _content()
    new["priorities"][0]["title"] = "Road safety for everyone"
    new["priorities"][0]["objectives"][0]["measures"][0]["target_value"] = "70"
    new["priorities"][0]["objectives"].append(
        {"id": 11, "title": "Safer routes to school", "lead_organisation": "Council",
         "measures": [{"id": 101, "title": "Child casualties"}]}
    )
    del new["priorities"][1]
    new["priorities"].append({"id": 3, "title": "Modern slavery", "objectives": []})

    diff = version_diff(old, new)
    summary = [(i.kind, i.action, i.title) for i in diff.items]
    assert ("priority", CHANGED, "Road safety for everyone") in summary
    assert ("measure", CHANGED, "Killed or seriously injured") in summary
    assert ("objective", ADDED, "Safer routes to school") in summary
    assert ("measure", ADDED, "Child casualties") in summary
    assert ("priority", REMOVED, "Violence") in summary
    assert ("priority", ADDED, "Modern slavery") in summary
    measure = next(i for i in diff.measures if i.action == CHANGED)
    assert [(f.label, f.old, f.new) for f in measure.fields] == [("Target", "80", "70")]
    assert measure.within == "Fewer collisions"
    assert diff.counts() == {ADDED: 3, REMOVED: 1, CHANGED: 2}
