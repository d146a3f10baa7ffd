from django.apps import AppConfig


class SaferMKConfig(AppConfig):
    name = "safermk"
    verbose_name = "SaferMK Strategy"
