import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# Import every view now, while the worker starts, not during its first request (1.6 s: the URLconf
# pulls in every app's views and what they use; issue 12).
get_resolver().url_patterns  # noqa: B018
