from django.conf import settings


def site(request):
    """Expose the few settings that templates need."""
    return {"signup_open": settings.SIGNUP_MODE == "open"}
