"""The Celery application of the service (``celery -A config worker``).

Its settings are Django's ``CELERY_*`` settings; without ``CELERY_BROKER_URL`` nothing is
sent to a broker and the outbox is delivered in the web process (``events.dispatch``).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
