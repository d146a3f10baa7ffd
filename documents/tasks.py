"""Background rendering of strategy documents and report PDFs: thin tasks
that call services."""

from __future__ import annotations

from celery import shared_task

from documents import services


@shared_task(soft_time_limit=120, time_limit=180, acks_late=True)
def render_document(document_id: int) -> None:
    services.document_render(document_id=document_id)


@shared_task(soft_time_limit=120, time_limit=180, acks_late=True)
def render_report_document(document_id: int) -> None:
    services.report_document_render(document_id=document_id)


@shared_task(soft_time_limit=120, time_limit=180, acks_late=True)
def render_performance_report(document_id: int) -> None:
    services.performance_report_render(document_id=document_id)
