"""`manage.py evaluate_theme_suggestions` measures suggested coding on a
hand-coded CSV file and says clearly what is wrong with a file it cannot
read. The hand-coded set shipped with the product is realistic in size and
shape."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.consultation.coding_helpers import FIXTURE, hand_coded


def _write(path, rows, header=("text", "themes")):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _run(*args) -> str:
    out = StringIO()
    call_command("evaluate_theme_suggestions", *map(str, args), stdout=out)
    return out.getvalue()


def test_it_reports_precision_recall_and_f1_for_each_number_coded(tmp_path):
    rows = [(text, "; ".join(sorted(themes))) for text, themes in hand_coded()[:90]]
    path = _write(tmp_path / "small.csv", rows)
    output = _run(path, "--coded", 20, 40)
    lines = output.splitlines()
    assert lines[0].startswith("90 answers, 10 themes")
    assert lines[1].split() == ["coded", "rest", "precision", "recall", "F1"]
    figures = [line.split() for line in lines[2:]]
    assert [f[:2] for f in figures] == [["20", "70"], ["40", "50"]]
    for _, _, precision, recall, f1 in figures:
        p, r, f = float(precision), float(recall), float(f1)
        assert 0 <= p <= 1 and 0 <= r <= 1
        assert f == pytest.approx(2 * p * r / (p + r) if p + r else 0, abs=0.002)
    # Better than nothing: learnt from 40 answers, it finds some themes right.
    assert float(figures[1][4]) > 0.2


def test_verbose_output_gives_each_themes_figures(tmp_path):
    rows = [(text, ";".join(sorted(themes))) for text, themes in hand_coded()[:80]]
    output = _run(_write(tmp_path / "small.csv", rows), "--coded", 30, "-v", 2)
    for name in ("Street lighting", "Domestic abuse", "Road safety"):
        line = next(line for line in output.splitlines() if name in line)
        assert " P " in line and " R " in line and " F1 " in line


def test_the_default_numbers_coded_are_20_50_and_100_on_the_shipped_set():
    output = _run(FIXTURE)
    rows = [line.split()[0] for line in output.splitlines()[2:]]
    assert rows == ["20", "50", "100"]


@pytest.mark.parametrize("content, message", [
    ("answer,codes\nhello,ASB\n", "needs a header row with the columns text and themes"),
    ("text\nhello\n", "missing: themes"),
    ("", "missing: text, themes"),
    ("text,themes\n", "has no answers under its header row"),
    ('text,themes\n"unclosed,ASB\n', "Line 2"),
    ("text,themes\nhello,ASB,extra\n", "does not have the header's columns"),
])
def test_a_malformed_file_is_refused_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        _run(path)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("text,themes\nCaf\xe9 by the station,ASB\n".encode("latin-1"))
    with pytest.raises(CommandError, match="is not UTF-8 text"):
        _run(path)


def test_a_missing_file_and_impossible_numbers_are_refused(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        _run(tmp_path / "nowhere.csv")
    rows = [(text, ";".join(themes)) for text, themes in hand_coded()[:30]]
    path = _write(tmp_path / "small.csv", rows)
    with pytest.raises(CommandError, match="choose a number from 1 to 29"):
        _run(path, "--coded", 30)
    with pytest.raises(CommandError, match="--threshold"):
        _run(path, "--threshold", 0)


def test_the_shipped_hand_coded_set_is_large_varied_and_multi_theme():
    rows = hand_coded()
    assert len(rows) >= 300
    assert all(themes for _, themes in rows)
    assert len({text for text, _ in rows}) == len(rows)
    assert sum(len(themes) > 1 for _, themes in rows) >= 60
    lengths = sorted(len(text) for text, _ in rows)
    assert lengths[0] < 15 and lengths[-1] > 300
    names = {t for _, themes in rows for t in themes}
    assert {"Anti-social behaviour", "Drugs", "Knife crime", "Street lighting",
            "Police visibility", "Domestic abuse", "Youth provision", "Road safety"} <= names
