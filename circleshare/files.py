from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse


def private_file_response(file, *, content_type: str) -> HttpResponse:
    """Serve a stored file that only some people may see.

    The caller has already checked who may see it. The response must not be
    kept by shared caches, nor sniffed into another type by the browser. With
    `PRIVATE_MEDIA_SERVER` set, the web server in front sends the file itself
    (nginx: X-Accel-Redirect to an internal location; Apache/lighttpd:
    X-Sendfile), so no Python worker is tied up streaming photos.
    """
    server = settings.PRIVATE_MEDIA_SERVER
    if server == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PRIVATE_MEDIA_INTERNAL_URL + quote(file.name)
    elif server == "sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = file.path
    else:
        response = FileResponse(file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
