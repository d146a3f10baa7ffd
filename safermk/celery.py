"""The Celery application. Periodic schedules live in safermk/schedules.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")

app = Celery("safermk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
