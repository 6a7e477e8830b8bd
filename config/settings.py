"""Preflight settings: one file, every value from the environment with a safe default.

The defaults are the embedded mode (SQLite, a Celery worker on kombu's filesystem
broker, DEBUG on for localhost). Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL and CELERY_BROKER_URL (see docker-compose.yml).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PREFLIGHT_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
_INSECURE_DEV_KEY = "django-insecure-preflight-local-development-only"
SECRET_KEY = os.environ.get("SECRET_KEY", _INSECURE_DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    # In INSTALLED_APPS so the API docs page is served from ninja's own static files.
    "ninja",
    "apps.accounts",
    "apps.core",
    "apps.problems",
    "apps.datasets",
    "apps.runs",
    "apps.monitors",
    "apps.checklists",
    "apps.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.accounts.middleware.CurrentTeamMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.accounts.context_processors.teams",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        # `or`: an empty DATABASE_URL means "the default", not a broken URL.
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'preflight.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes job progress.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # Exposes only plotly.min.js from the plotly wheel (not its 36 MB package_data).
    "apps.core.staticfinders.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Uploaded tables (staged uploads and Parquet versions). Outside every served folder:
    # files leave only through access-checked views. Swap for django-storages' S3 backend
    # when workers run on several hosts.
    "datasets": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(Path(os.environ.get("DATASET_STORAGE_DIR", VAR_DIR / "datasets")))
        },
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# Uploads: refused before they are fully read when over the cap (see apps/datasets/uploads.py).
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 500 * 1024**2)
UPLOAD_MAX_COLUMNS = env_int("UPLOAD_MAX_COLUMNS", 2000)
UPLOAD_MAX_PARQUET_UNCOMPRESSED_BYTES = env_int(
    "UPLOAD_MAX_PARQUET_UNCOMPRESSED_BYTES", 4 * 1024**3
)
FILE_UPLOAD_HANDLERS = ["apps.datasets.uploads.SizeLimitedUploadHandler"]
# Staged uploads whose job never finished, and stored files without a version, are
# removed by the storage sweeper after this long.
UPLOAD_ORPHAN_AFTER_SECONDS = env_int("UPLOAD_ORPHAN_AFTER_SECONDS", 6 * 3600)

# Security: strict in production, relaxed only for plain-HTTP localhost development.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "preflight@localhost")
# SMTP, for monitor notifications (used when EMAIL_BACKEND is the SMTP backend).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Celery -------------------------------------------------------------------------
# With no CELERY_BROKER_URL the embedded mode uses kombu's filesystem broker: a real
# worker process with no server to run.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "filesystem://"
BROKER_DIR = VAR_DIR / "broker"
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 55 * 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 60 * 60)
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Without it kombu writes its broadcast (pidbox) files to ./control in the cwd.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # An unacked message is redelivered after the visibility timeout: it must outlast
    # the hard time limit or a long task would start again while still running.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_TASK_TIME_LIMIT * 2,
        "global_keyprefix": os.environ.get("CELERY_KEY_PREFIX", ""),
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Job state lives in the Job row, not in a result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Quick work (evaluations, checks, verdicts) and long work (training the baseline ladder)
# travel on separate queues. A worker started without -Q consumes both, as `make run` and
# compose do; on more hosts, `celery worker -Q long` for training and `-Q celery` for the
# rest keep a training burst from delaying a monitor.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (
    Queue("celery", Exchange("celery"), routing_key="celery"),
    Queue("long", Exchange("long"), routing_key="long"),
)
CELERY_TASK_ROUTES = {"jobs.baseline_train": {"queue": "long"}}
# Publishing must fail fast when the broker is down: the job row is the outbox and the
# relay publishes it later, so the web request need not wait.
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TIMEZONE = TIME_ZONE

# Background jobs: heartbeat every few seconds; a running job whose heartbeat is older
# than JOB_STALE_AFTER_SECONDS lost its worker and is re-dispatched (or failed after
# JOB_MAX_ATTEMPTS attempts).
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 5)
JOB_STALE_AFTER_SECONDS = env_int("JOB_STALE_AFTER_SECONDS", 60)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
JOB_RELAY_INTERVAL_SECONDS = env_int("JOB_RELAY_INTERVAL_SECONDS", 10)
JOB_SWEEP_INTERVAL_SECONDS = env_int("JOB_SWEEP_INTERVAL_SECONDS", 30)
# Monitors: how often beat looks for due monitors (each has its own interval) and new
# runs; webhook deliveries retry with exponential backoff; private targets are refused
# unless MONITOR_WEBHOOK_ALLOW_PRIVATE (SSRF guard).
MONITOR_DUE_CHECK_SECONDS = env_int("MONITOR_DUE_CHECK_SECONDS", 60)
MONITOR_WEBHOOK_ALLOW_PRIVATE = env_bool("MONITOR_WEBHOOK_ALLOW_PRIVATE", False)
MONITOR_WEBHOOK_TIMEOUT_SECONDS = env_int("MONITOR_WEBHOOK_TIMEOUT_SECONDS", 5)
MONITOR_DELIVERY_MAX_ATTEMPTS = env_int("MONITOR_DELIVERY_MAX_ATTEMPTS", 5)
MONITOR_DELIVERY_BACKOFF_SECONDS = env_int("MONITOR_DELIVERY_BACKOFF_SECONDS", 30)
CELERY_BEAT_SCHEDULE = {
    "relay-unpublished-jobs": {
        "task": "core.job_relay_task",
        "schedule": JOB_RELAY_INTERVAL_SECONDS,
    },
    "sweep-stale-jobs": {
        "task": "core.job_sweep_task",
        "schedule": JOB_SWEEP_INTERVAL_SECONDS,
    },
    "sweep-dataset-storage": {
        "task": "datasets.storage_sweep_task",
        "schedule": 3600,
    },
    "monitor-due-checks": {
        "task": "monitors.monitor_due_checks_task",
        "schedule": MONITOR_DUE_CHECK_SECONDS,
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The demo seed (user demo / password demo / team demo) exists only in DEBUG mode.
PREFLIGHT_ALLOW_DEMO = env_bool("PREFLIGHT_ALLOW_DEMO", DEBUG)
