from django.http import FileResponse


def private_file_response(file, *, content_type: str) -> FileResponse:
    """Serve a stored file that only some people may see.

    The caller has already checked who may see it; the response must not be
    kept by shared caches, nor sniffed into another type by the browser.
    """
    response = FileResponse(file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
