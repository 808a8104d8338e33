from django.http import JsonResponse
from django.views import defaults

from circleshare.middleware import wants_json


def page_not_found(request, exception):
    if wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if wants_json(request):
        return JsonResponse({"detail": "Something went wrong on our side. Please try again."}, status=500)
    return defaults.server_error(request)
