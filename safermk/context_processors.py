from django.conf import settings


def site(request):
    access = getattr(request, "access", None)
    return {
        "brand_name": settings.SAFERMK_BRAND_NAME,
        "brand_colour": settings.SAFERMK_BRAND_COLOUR,
        "access": access,
        # The sign-in page's single sign-on button, or None when it is off.
        "oidc_button_label": settings.OIDC_BUTTON_LABEL if settings.OIDC_ENABLED else None,
    }
