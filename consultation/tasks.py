"""Periodic work for consultations. Thin: each task calls one service.

Schedules (django-celery-beat, see README): advance every 5 minutes, so a
consultation opens and closes within minutes of its time (pages use the
clock anyway); retention once a night. Respondents' requests: the
officers' and the person's e-mails go as soon as the request is saved or
decided; an hourly scan sends what the broker missed, and a nightly task
blanks the contact details of requests decided long ago. Receipts and
"come back later" links go as soon as they are asked for; a sweep every
5 minutes sends what the broker missed and deletes saved answers once used
or expired.
"""

from celery import shared_task

from consultation import receipts, rights, saved, services


@shared_task(soft_time_limit=60, time_limit=90)
def consultations_advance() -> int:
    return services.consultations_advance_all()


@shared_task(soft_time_limit=300, time_limit=360)
def consultations_apply_retention() -> int:
    return services.consultations_apply_retention()


@shared_task(soft_time_limit=60, time_limit=90)
def rights_request_notify_officers(request_id: int) -> bool:
    return rights.rights_request_notify_officers(request_id=request_id)


@shared_task(soft_time_limit=60, time_limit=90)
def rights_request_reply(request_id: int) -> bool:
    return rights.rights_request_reply(request_id=request_id)


@shared_task(soft_time_limit=120, time_limit=180)
def rights_requests_notify_waiting() -> int:
    return rights.rights_requests_notify_waiting()


@shared_task(soft_time_limit=120, time_limit=180)
def rights_requests_apply_retention() -> int:
    return rights.rights_requests_apply_retention()


@shared_task(soft_time_limit=60, time_limit=90)
def receipt_send(receipt_id: int) -> bool:
    return receipts.receipt_send(receipt_id=receipt_id)


@shared_task(soft_time_limit=60, time_limit=90)
def saved_link_send(saved_id: int) -> bool:
    return saved.saved_link_send(saved_id=saved_id)


@shared_task(soft_time_limit=240, time_limit=300)
def respondent_emails_sweep() -> int:
    return receipts.receipts_sweep() + saved.saved_journeys_sweep()
# Suggestions for 5,000 answers take seconds here (README); the limits leave
# room for the largest consultations.
@shared_task(soft_time_limit=600, time_limit=660)
def suggestion_run_compute(run_id: int) -> bool:
    from consultation.coding import suggestion_run_execute

    return suggestion_run_execute(run_id=run_id)
