"""Periodic work for consultations. Thin: each task calls one service.

Schedules (django-celery-beat, see README): advance every 5 minutes, so a
consultation opens and closes within minutes of its time (pages use the
clock anyway); retention once a night.
"""

from celery import shared_task

from consultation import services


@shared_task(soft_time_limit=60, time_limit=90)
def consultations_advance() -> int:
    return services.consultations_advance_all()


@shared_task(soft_time_limit=300, time_limit=360)
def consultations_apply_retention() -> int:
    return services.consultations_apply_retention()
