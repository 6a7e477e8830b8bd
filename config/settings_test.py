"""Test settings: the same file, with fast hashing, plain static storage, eager Celery.

DATABASE_URL picks PostgreSQL when the test runner sets it (scripts/test.sh does when a
server answers); otherwise SQLite.
"""

import os
import tempfile

os.environ.setdefault("PREFLIGHT_VAR_DIR", tempfile.mkdtemp(prefix="preflight-test-"))

from config.settings import *  # noqa: E402,F403
from config.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Plain storage: {% static %} must work without collectstatic and live_server must
# serve unhashed names.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# In-process tests run tasks inline; integration tests start real workers with the
# normal settings module and their own broker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PREFLIGHT_ALLOW_DEMO = True

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise warns when it is absent
# Eager jobs run in the test's thread; a heartbeat thread writing to the same (SQLite,
# in-memory) test database meanwhile only meets "table is locked". Workers started by the
# integration tests read their own value from the environment.
JOB_HEARTBEAT_SECONDS = 3600
# The demo seed's AutoML search (10 s in `make run`) is cut short in tests that seed it.
PREFLIGHT_DEMO_AUTOML_BUDGET_S = 2
