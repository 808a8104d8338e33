from django.conf import settings


def absolute_url(path: str, request=None) -> str:
    """`path` as a full link: on the host of `request`, else on `SITE_URL` (emails, commands)."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path
