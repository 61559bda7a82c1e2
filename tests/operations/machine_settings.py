"""Settings of the processes ``test_multi_machine.py`` starts: production's, with static files
served from the source folders (as in the rest of the suite) instead of a collected manifest."""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
