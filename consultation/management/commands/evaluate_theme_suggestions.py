"""Measure the suggested coding against a hand-coded set of answers.

    python manage.py evaluate_theme_suggestions answers.csv [--coded 20 50 100] [-v 2]

The file is UTF-8 CSV with a header row: `text` (the answer) and `themes`
(its theme names separated by ";"). For each N, the first N answers play
the officer's coding and suggestions are made for the rest, exactly as the
worker makes them; the command prints micro-averaged precision, recall and
F1 over every theme of the file (and each theme's with --verbosity 2).
"""

from __future__ import annotations

import csv
import io

from django.core.management.base import BaseCommand, CommandError

from consultation import suggestions as engine


def read_coded_file(path: str) -> tuple[list[str], list[set[str]]]:
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"{path} is not UTF-8 text (byte {exc.start + 1}). Save it as CSV UTF-8."
        ) from exc
    reader = csv.DictReader(io.StringIO(content, newline=""))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in ("text", "themes") if name not in header]
    if missing:
        raise CommandError(
            f"{path} needs a header row with the columns text and themes; "
            f"missing: {', '.join(missing)}."
        )
    reader.fieldnames = header
    texts, labels = [], []
    try:
        for line, row in enumerate(reader, start=2):
            if None in row or row.get("text") is None or row.get("themes") is None:
                raise CommandError(f"Line {line} of {path} does not have the header's columns.")
            texts.append(row["text"].strip())
            labels.append({t.strip() for t in row["themes"].split(";") if t.strip()})
    except csv.Error as exc:
        raise CommandError(f"{path} is not valid CSV: {exc}.") from exc
    if not texts:
        raise CommandError(f"{path} has no answers under its header row.")
    return texts, labels


class Command(BaseCommand):
    help = "Precision, recall and F1 of suggested coding on a hand-coded CSV file."

    def add_arguments(self, parser):
        parser.add_argument("csv", help="UTF-8 CSV with the columns text and themes")
        parser.add_argument(
            "--coded", type=int, nargs="+", default=[20, 50, 100], metavar="N",
            help="how many answers the officer has coded before asking (default 20 50 100)",
        )
        parser.add_argument(
            "--threshold", type=float, default=engine.SUGGEST_THRESHOLD,
            help=f"lowest confidence counted as a suggestion (default "
                 f"{engine.SUGGEST_THRESHOLD})",
        )

    def handle(self, *args, **options):
        texts, labels = read_coded_file(options["csv"])
        if not 0 < options["threshold"] <= 1:
            raise CommandError("--threshold must be above 0 and at most 1.")
        themes = sorted({t for row in labels for t in row})
        self.stdout.write(
            f"{len(texts)} answers, {len(themes)} themes, "
            f"{sum(1 for row in labels if len(row) > 1)} with more than one theme; "
            f"suggestions from {options['threshold']:.0%} confidence."
        )
        self.stdout.write(f"{'coded':>6} {'rest':>6} {'precision':>10} {'recall':>8} {'F1':>6}")
        for n in options["coded"]:
            if not 0 < n < len(texts):
                raise CommandError(
                    f"--coded {n}: choose a number from 1 to {len(texts) - 1} for this file."
                )
            result = engine.evaluate(texts, labels, coded=n, threshold=options["threshold"])
            micro = result.micro
            self.stdout.write(
                f"{n:>6} {result.predicted:>6} {micro.precision:>10.3f} "
                f"{micro.recall:>8.3f} {micro.f1:>6.3f}"
            )
            if options["verbosity"] >= 2:
                for theme, scores in result.per_theme.items():
                    self.stdout.write(
                        f"{'':>6} {theme[:40]:<40} P {scores.precision:.3f} "
                        f"R {scores.recall:.3f} F1 {scores.f1:.3f}"
                    )
