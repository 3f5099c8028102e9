"""Settings, read from the environment in one place (django-environ).

Safe by default: DEBUG is off unless set, and there is no default SECRET_KEY
outside a DEBUG (local) run.
"""
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or run locally with DEBUG=true)."
        )
    SECRET_KEY = "local-development-only-not-a-secret"  # noqa: S105 (DEBUG runs only)
# Keys anyone can read (in this repository, in docs, in tutorials) sign nothing outside a
# DEBUG run: `check --deploy` only warns about short or django-insecure- keys, and the
# placeholder of .env.example is long enough to pass it.
PLACEHOLDER_SECRET_KEYS = {
    "local-development-only-not-a-secret",  # the DEBUG-only key above
    "secret", "secret-key", "secret_key", "secretkey", "password",
}
PLACEHOLDER_SECRET_KEY_WORDS = (  # .env.example's and the usual "fill me in" values
    "change-me", "changeme", "change_me", "replace-me", "replaceme", "your-secret-key",
    "django-insecure", "example",
)
if not DEBUG and (
    SECRET_KEY.lower() in PLACEHOLDER_SECRET_KEYS
    or any(word in SECRET_KEY.lower() for word in PLACEHOLDER_SECRET_KEY_WORDS)
):
    raise ImproperlyConfigured(
        "SECRET_KEY is a placeholder, not a secret. Generate one, e.g. with\n"
        "  python -c 'import secrets; print(secrets.token_urlsafe(50))'\n"
        "and set it in the environment (or .env)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
# How many reverse proxies stand in front of the app (each appending to X-Forwarded-For).
# 0: clients connect directly and X-Forwarded-For is ignored. factcheck/clientip.py reads
# it for login lockouts and /healthz; the API's throttles read it too.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# One switch for deployments behind TLS: redirect, HSTS and secure cookies together.
HTTPS_ONLY = env.bool("HTTPS_ONLY", default=False)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS_ONLY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp; factcheck/csp.py adds the Redoc page's exception).
# Scripts and <style> elements only from our origin or with the response's nonce
# ({{ request.csp_nonce }}): injected markup runs nothing. Style attributes stay allowed:
# the desk's rating colours are data, and an attribute cannot run script or, with
# default-src 'self', load anything from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-elem": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],  # Swagger UI's icons
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served locally: no CDN
    "simple_history",
    "axes",
    "csp",
    "claims",
    "evidence",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that may answer early (400s, lockouts), so every page has the CSP.
    "factcheck.csp.CSPMiddleware",
    # Text holding NUL is a 400 before any view could hand it to PostgreSQL (a 500).
    "factcheck.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a sign-in refused by the lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "factcheck" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "factcheck.context_processors.publisher",
            ],
        },
    },
]

if "DATABASE_URL" not in env:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded SQLite fallback lives here
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'factcheck.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))

# Archives (WARC files and extracted text) go through Django's storage API: the local
# disk by default, any S3-compatible bucket when ARCHIVE_STORAGE=s3.
ARCHIVE_ROOT = Path(env("ARCHIVE_ROOT", default=str(VAR_DIR / "archives")))
ARCHIVE_STORAGE = env("ARCHIVE_STORAGE", default="filesystem")


def s3_archive_storage(*, bucket, endpoint_url="", access_key="", secret_key="",
                       prefix="archives"):
    """The STORAGES["archives"] entry for an S3-compatible bucket (ARCHIVE_STORAGE=s3):
    objects under ``prefix``, private, linked only by signed URLs. Empty values (as
    docker-compose passes unset ones) mean "use the default" (boto3's endpoint and
    credential chain). The test suite builds its S3 server's storage with this, so the
    tests run the production configuration, not a copy of it."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "location": prefix,
            "default_acl": "private",
            "querystring_auth": True,
        },
    }


if ARCHIVE_STORAGE == "s3":
    _archive_storage = s3_archive_storage(
        bucket=env("ARCHIVE_S3_BUCKET"),
        endpoint_url=env("ARCHIVE_S3_ENDPOINT_URL", default=""),
        access_key=env("ARCHIVE_S3_ACCESS_KEY", default=""),
        secret_key=env("ARCHIVE_S3_SECRET_KEY", default=""),
        prefix=env("ARCHIVE_S3_PREFIX", default="archives"),
    )
elif ARCHIVE_STORAGE == "filesystem":
    _archive_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(ARCHIVE_ROOT), "base_url": None},
    }
else:
    raise ImproperlyConfigured("ARCHIVE_STORAGE must be 'filesystem' or 's3'.")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "archives": _archive_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Celery on Redis. Without REDIS_URL the broker is kombu's filesystem transport, so a
# local run needs no server; tasks are never run eagerly inside the web process.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    # Every folder the transport writes lives under VAR_DIR: its exchange tables too, which
    # kombu would otherwise write to ./control, wherever the process was started.
    _queue_dir = VAR_DIR / "broker"
    (_queue_dir / "processed").mkdir(parents=True, exist_ok=True)
    (_queue_dir / "control").mkdir(exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
else:
    # A task whose worker died is redelivered after this long (acks are late).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600)
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_DEFAULT_QUEUE = "factcheck"
CELERY_BEAT_SCHEDULE = {
    "queue-pending-sources": {
        "task": "evidence.tasks.queue_pending_sources",
        "schedule": env.int("SWEEP_PENDING_SECONDS", default=300),
    },
    "recheck-archived-sources": {
        "task": "evidence.tasks.recheck_sources",
        "schedule": crontab(minute=env("RECHECK_CRON_MINUTE", default="*/30")),
    },
    "build-missing-evidence-packs": {
        "task": "evidence.tasks.build_missing_evidence_packs",
        "schedule": env.int("SWEEP_PACKS_SECONDS", default=600),
    },
}

# Evidence packs (evidence/packs.py) are signed with this ECDSA private key (PEM), made by
# `manage.py create_signing_key`; its public key is served at
# /.well-known/evidence-pack-key.pem. Keep the file secret and backed up.
EVIDENCE_PACK_SIGNING_KEY_FILE = Path(env(
    "EVIDENCE_PACK_SIGNING_KEY_FILE", default=str(VAR_DIR / "keys" / "evidence-pack.pem")
))

# Fetching sources (evidence/fetch.py). FetchPolicy holds the defaults: each FETCH_* limit
# below is None, meaning "FetchPolicy's default", unless its environment variable is set.
FETCH_ALLOWLIST = env.list("FETCH_ALLOWLIST", default=[])
FETCH_MAX_BYTES = env.int("FETCH_MAX_BYTES", default=None)
FETCH_TIMEOUT = env.float("FETCH_TIMEOUT", default=None)
FETCH_CONNECT_TIMEOUT = env.float("FETCH_CONNECT_TIMEOUT", default=None)
FETCH_MAX_REDIRECTS = env.int("FETCH_MAX_REDIRECTS", default=None)
FETCH_USER_AGENT = env("FETCH_USER_AGENT", default=None)

# Watching sources.
RECHECK_AFTER_HOURS = env.int("RECHECK_AFTER_HOURS", default=24)

# Archiving workers (evidence/archiving.py, evidence/tasks.py): retries, leases, watching.
# Transient failures retry with exponential backoff (base * 2**n, jittered), honouring
# Retry-After, never waiting longer than ARCHIVE_RETRY_MAX_SECONDS: keep that below the
# visibility timeout, or Redis redelivers the waiting task to a second worker.
ARCHIVE_MAX_RETRIES = env.int("ARCHIVE_MAX_RETRIES", default=5)
ARCHIVE_RETRY_BASE_SECONDS = env.float("ARCHIVE_RETRY_BASE_SECONDS", default=30.0)
ARCHIVE_RETRY_MAX_SECONDS = env.float("ARCHIVE_RETRY_MAX_SECONDS", default=300.0)
# A source left pending, or fetching, this long is queued again by the sweep.
ARCHIVE_LEASE_SECONDS = env.float("ARCHIVE_LEASE_SECONDS", default=900.0)
ARCHIVE_SWEEP_BATCH = env.int("ARCHIVE_SWEEP_BATCH", default=1000)
# Re-checks of one host are spaced this far apart, at most this many per beat run.
RECHECK_HOST_SPACING_SECONDS = env.float("RECHECK_HOST_SPACING_SECONDS", default=10.0)
RECHECK_MAX_PER_HOST = env.int("RECHECK_MAX_PER_HOST", default=30)
if REDIS_URL:
    # How often a worker looks for tasks whose worker died (kombu's defaults otherwise).
    CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_interval"] = env.int(
        "CELERY_UNACKED_RESTORE_INTERVAL", default=10
    )
    CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_throttle"] = env.int(
        "CELERY_UNACKED_RESTORE_THROTTLE", default=10
    )

# The organisation that publishes verdicts, named in ClaimReview markup and on pages.
PUBLISHER_NAME = env("PUBLISHER_NAME", default="Factcheck Desk")
PUBLISHER_URL = env("PUBLISHER_URL", default="http://localhost:8000/")
SITE_URL = env("SITE_URL", default="http://localhost:8000")

# The cache holds the API's throttle counts (api/throttling.py). On Redis whenever
# REDIS_URL is set, so that gunicorn's workers and every web container count together;
# in process memory only for the local run without Redis (a single runserver process).
# CACHE_KEY_PREFIX keeps its keys apart from Celery's, and one test run's from another's.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="factcheck"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The REST API: its plumbing in api/, its resources in claims/api and evidence/api.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
REST_FRAMEWORK = {
    # Token first: a client without credentials is answered 401 with WWW-Authenticate.
    # Failed tokens are counted per client address (429 past API_THROTTLE_AUTH_FAILURES).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.LimitedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonThrottle",
        "api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/minute"),
        "user": env("API_THROTTLE_USER", default="1200/minute"),
        "auth_failure": env("API_THROTTLE_AUTH_FAILURES", default="20/minute"),
    },
    # Who the client is, for the throttles: REMOTE_ADDR unless NUM_PROXIES (above) says
    # how many proxies' X-Forwarded-For entries to trust (factcheck/clientip.py).
    "NUM_PROXIES": NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Factcheck workbench API",
    "DESCRIPTION": "Claims, evidence, verdicts and reviews for fact-checking teams.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.anyof_for_audiences",
        "api.schema.strict_request_bodies",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ClaimStateEnum": "claims.models.ClaimState",
        "ClaimantKindEnum": "claims.models.ClaimantKind",
        "ResponseKindEnum": "claims.models.ResponseKind",
        "RelationKindEnum": "claims.models.RelationKind",
        "ReviewKindEnum": "claims.models.ReviewKind",
        "VerdictStatusEnum": "claims.models.VerdictStatus",
        "PublicationKindEnum": "claims.models.PublicationKind",
        "ChangeKindEnum": "claims.models.ChangeKind",
        "SourceStatusEnum": "evidence.models.SourceStatus",
    },
}

LOGIN_URL = "/admin/login/"

# Password guessing on /admin/login/ (django-axes). Failures are counted per username and
# client address together: an attacker locks out only their own guesses at one account,
# never the real user signing in from elsewhere. Unlock sooner with
# `manage.py axes_reset_username <name>` (or axes_reset_ip, axes_reset for everyone).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out attempts, first
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "factcheck.clientip.client_ip"  # NUM_PROXIES-aware, like the API
AXES_LOCKOUT_CALLABLE = "factcheck.lockout.lockout_response"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
