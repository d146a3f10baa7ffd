"""Background work for people who follow consultations. Thin: each task
calls one service. Schedules: the sweep every 5 minutes, retention nightly
(safermk/schedules.py)."""

from celery import shared_task

from subscriptions import services


@shared_task(soft_time_limit=60, time_limit=90)
def subscription_send_confirmation(subscription_id: int) -> bool:
    return services.subscription_send_confirmation(subscription_id=subscription_id)


@shared_task(soft_time_limit=120, time_limit=180)
def event_announce(consultation_id: int, event: str) -> int:
    return services.event_announce(consultation_id=consultation_id, event=event)


@shared_task(soft_time_limit=60, time_limit=90)
def notification_send(notification_id: int) -> bool:
    return services.notification_send(notification_id=notification_id)


@shared_task(soft_time_limit=240, time_limit=300)
def subscriptions_sweep() -> int:
    return services.subscriptions_sweep()


@shared_task(soft_time_limit=120, time_limit=180)
def subscriptions_apply_retention() -> int:
    return services.subscriptions_apply_retention()
