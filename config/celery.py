"""The Celery application; tasks are discovered from each app's tasks.py."""

import os

from celery import Celery

# Idle OpenMP threads (gradient boosting) otherwise spin on their core: on a worker whose
# cores are shared, boosting with 2 threads ran 7–20× slower than with 1 until they yield.
# Set before scikit-learn loads its OpenMP runtime.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("preflight")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _ensure_filesystem_broker_folders() -> None:
    """kombu's filesystem transport needs its folders before the first publish."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        for key in ("data_folder_in", "processed_folder", "control_folder"):
            os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key], exist_ok=True)


@app.on_after_configure.connect
def _on_after_configure(sender: Celery, **kwargs: object) -> None:
    _ensure_filesystem_broker_folders()
