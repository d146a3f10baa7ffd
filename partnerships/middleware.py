from django.utils.functional import SimpleLazyObject

from partnerships.access import Access


class AccessMiddleware:
    """Puts an Access for the signed-in user on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.access = SimpleLazyObject(lambda: Access(request.user))
        return self.get_response(request)
