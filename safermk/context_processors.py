from django.conf import settings


def site(request):
    access = getattr(request, "access", None)
    return {
        "brand_name": settings.SAFERMK_BRAND_NAME,
        "brand_colour": settings.SAFERMK_BRAND_COLOUR,
        "access": access,
    }
