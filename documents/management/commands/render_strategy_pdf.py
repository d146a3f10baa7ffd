"""Render a strategy version's PDF to a file, for scripts and checks.

    python manage.py render_strategy_pdf safermk-strategy-2018-2021 -o strategy.pdf
    python manage.py render_strategy_pdf safermk-strategy-2018-2021 --version 1 -o v1.pdf

Without --version it renders the published version, or the latest version
if the strategy has not been published. It renders afresh and writes only
the file: the stored copy of the version is left as it is.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.rendering import render_strategy_pdf
from documents.services import published_version
from strategy.models import Strategy, StrategyVersion


class Command(BaseCommand):
    help = "Render the PDF of a strategy version to a file."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version here means the strategy version: it replaces Django's
        # "show the program's version" option of the same name.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the strategy's slug")
        parser.add_argument(
            "--version", type=int, dest="number", default=None, help="the version number"
        )
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")

    def handle(self, *args, slug, number, output, **options):
        strategy = Strategy.objects.select_related("partnership").filter(slug=slug).first()
        if strategy is None:
            raise CommandError(f"There is no strategy called {slug!r}.")
        if number is not None:
            version = StrategyVersion.objects.filter(strategy=strategy, number=number).first()
            if version is None:
                raise CommandError(f"{strategy.title} has no version {number}.")
        else:
            version = published_version(strategy) or strategy.versions.order_by("-number").first()
            if version is None:
                raise CommandError(
                    f"{strategy.title} has no frozen version yet: send it for sign-off or "
                    "publish it first."
                )
        version.strategy = strategy
        pdf = render_strategy_pdf(version)
        Path(output).write_bytes(pdf.content)
        self.stdout.write(
            f"Wrote {output}: {strategy.title}, version {version.number} "
            f"({version.short_hash}), {pdf.pages} pages, {len(pdf.content):,} bytes."
        )
