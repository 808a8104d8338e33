from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render

REQUEST_TOO_LARGE = "The request body is too large."


def wants_json(request) -> bool:
    return request.path.startswith("/api/")


class RequestSizeLimitMiddleware:
    """Refuse oversized bodies with 413 before anything reads them.

    Django caps form fields but not JSON bodies or files, so without this a
    client could make a worker buffer a body of any size.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        is_multipart = request.content_type == "multipart/form-data"
        limit = settings.MAX_MULTIPART_BYTES if is_multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            return self.too_large(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        # Django's own cap on form fields, hit while a view reads request.POST.
        if isinstance(exception, RequestDataTooBig):
            return self.too_large(request)
        return None

    @staticmethod
    def too_large(request):
        if wants_json(request):
            return JsonResponse({"detail": REQUEST_TOO_LARGE}, status=413)
        return render(request, "413.html", status=413)
