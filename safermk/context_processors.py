from django.conf import settings


def site(request):
    access = getattr(request, "access", None)
    user = getattr(request, "user", None)
    timeout = {}
    if user is not None and user.is_authenticated and hasattr(request, "session"):
        from safermk.session_timeout import remaining_seconds

        # For the warning before the idle sign-out (static/js/timeout-warning.js).
        timeout = {
            "timeout_remaining": remaining_seconds(request),
            "timeout_warning": settings.SESSION_TIMEOUT_WARNING_SECONDS,
        }
    return timeout | {
        "brand_name": settings.SAFERMK_BRAND_NAME,
        "brand_colour": settings.SAFERMK_BRAND_COLOUR,
        "access": access,
        # The sign-in page's single sign-on button, or None when it is off.
        "oidc_button_label": settings.OIDC_BUTTON_LABEL if settings.OIDC_ENABLED else None,
    }
