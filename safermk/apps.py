from django.apps import AppConfig


class SaferMKConfig(AppConfig):
    name = "safermk"
    verbose_name = "SaferMK Strategy"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from safermk.session_timeout import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="safermk-start-idle-clock")
