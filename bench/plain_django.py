"""A bare Django view in a server without the project's middleware: the benchmark's floor.

``gunicorn -c config/gunicorn.py bench.plain_django:application`` serves ``/health/live`` as
the project does, with nothing else: no apps, no middleware, no database.
"""

import os

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("SECRET_KEY", "plain-django-benchmark"),
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402


def live(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [path("health/live", live)]
application = get_wsgi_application()
