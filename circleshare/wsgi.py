"""WSGI entry point: `gunicorn circleshare.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "circleshare.settings")

application = get_wsgi_application()
