"""Settings for SaferMK Strategy.

Everything that differs between a laptop and production comes from the
environment (see README). Without any variables set, the app runs on the
embedded defaults: SQLite in var/, a file-system Celery broker, and e-mail
written to var/mail. Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL and REDIS_URL, and `manage.py check --deploy` is then clean.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

from safermk.env import env_bool, env_date, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SAFERMK_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. For local use, set DEBUG=1 "
            "(make run does this)."
        )
    SECRET_KEY = "local-development-only-not-a-secret"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

# Floors for the speed benchmark (scripts/bench.py): bare views served by the
# same process as the pages they are compared with. Only on a machine that
# answers to nothing but itself, so they can never be reached in production.
SAFERMK_BENCH_FLOORS = env_bool("SAFERMK_BENCH_FLOORS", False)
if SAFERMK_BENCH_FLOORS and set(ALLOWED_HOSTS) - {"localhost", "127.0.0.1", "[::1]"}:
    raise ImproperlyConfigured(
        "SAFERMK_BENCH_FLOORS is for local benchmarks only: ALLOWED_HOSTS must name "
        "nothing but localhost, 127.0.0.1 and [::1]."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "safermk.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "django_celery_beat",
    "axes",
    "csp",
    "safermk",
    "partnerships",
    "strategy",
    "milestones",
    "consultation",
    "dashboard",
    "reminders",
    "documents",
    "accessibility",
    "audit",
    "subscriptions",
    "reviews",
    "archive",
    "crimedata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "safermk.session_timeout.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "partnerships.middleware.AccessMiddleware",
    # After authentication: audit records written during the request name
    # the signed-in person and the address they came from.
    "audit.context.AuditContextMiddleware",
    "safermk.database_unavailable.DatabaseUnavailableMiddleware",
    # Last, so it sees the lock-out flag that authenticate() leaves on the request.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safermk.urls"
WSGI_APPLICATION = "safermk.wsgi.application"
ASGI_APPLICATION = "safermk.asgi.application"

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
                "safermk.context_processors.site",
            ],
        },
    }
]

# Database: SQLite in var/ unless DATABASE_URL is set.
_database_url = env_str("DATABASE_URL")
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    except Exception as exc:  # dj-database-url raises several kinds of error
        raise ImproperlyConfigured(f"DATABASE_URL could not be read: {exc}") from exc
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "safermk.sqlite3",
            # Wait for the worker's writes instead of failing with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when configured (shared by web processes, used by rate limits),
# otherwise the local-memory cache.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "safermk",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Dates and times come from the locale (en-gb), with our own wording in
# safermk/formats/en_GB ("1 March 2022", "5:00pm") and safermk/locale ("pm",
# not "p.m."). DATE_FORMAT here would be ignored while a locale is active.
FORMAT_MODULE_PATH = ["safermk.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# Uploads. Documents beside a consultation's draft may be this big; a larger
# file is not kept and its form says it is too big (safermk.uploads), rather
# than the request being refused. Files over FILE_UPLOAD_MAX_MEMORY_SIZE are
# streamed to a temporary file; the other fields of a form may total
# DATA_UPLOAD_MAX_MEMORY_SIZE (Django's default, set here to say so).
CONSULTATION_DOCUMENT_MAX_BYTES = env_int("CONSULTATION_DOCUMENT_MAX_BYTES", 20_000_000)
UPLOAD_MAX_BYTES = CONSULTATION_DOCUMENT_MAX_BYTES
FILE_UPLOAD_HANDLERS = [
    "safermk.uploads.SizeCapUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Static files are hashed and compressed for production; tests and local
# runs use the plain storage so no collectstatic step is needed.
_static_backend = (
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
    if env_bool("STATIC_MANIFEST", not DEBUG)
    else "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# Uploaded and generated files (PDFs): the file system, or an S3-compatible
# bucket when AWS_STORAGE_BUCKET_NAME is set (django-storages).
_bucket = env_str("AWS_STORAGE_BUCKET_NAME")
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage"
        if _bucket
        else "django.core.files.storage.FileSystemStorage",
    },
    "staticfiles": {"BACKEND": _static_backend},
}
if _bucket:
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL")
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True

# E-mail: files in var/mail locally, SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set at most one of EMAIL_USE_TLS and EMAIL_USE_SSL.")
_installation_name = env_str("SAFERMK_BRAND_NAME", "Community Safety Strategy")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{_installation_name} <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set, otherwise a file-system broker in var/
# so `make run` needs no server.
CELERY_BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 3600}
else:
    # The embedded broker: messages are files in var/broker/.
    for _folder in ("out", "processed", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "out"),
        "data_folder_out": str(CELERY_BROKER_DIR / "out"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # Broadcast (worker control) messages; without it kombu writes to ./control.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_IGNORE_RESULT = True
# A claimed reminder not marked sent after this long is retried: longer than
# any task may run (reminders.tasks HARD_LIMIT), so its sender is surely gone.
REMINDERS_CLAIM_TIMEOUT_MINUTES = env_int("REMINDERS_CLAIM_TIMEOUT_MINUTES", 15)

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.14.0"  # matches static/vendor/govuk-frontend/VERSION

# Security: strict in production, relaxed only where DEBUG needs plain HTTP.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True

# Rate limits (django-ratelimit, on the cache above) key on the client's
# address; see safermk/net.py for how proxies are handled. Sign-in limits are
# in the block at the end.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
RATELIMIT_IP_META_KEY = "safermk.net.client_ip"
RATELIMIT_USE_CACHE = "default"
# Generous: a whole school class may answer a consultation from one address.
CONSULTATION_PAGE_RATE = env_str("CONSULTATION_PAGE_RATE", "1000/h")
CONSULTATION_SUBMIT_RATE = env_str("CONSULTATION_SUBMIT_RATE", "100/h")
# Requests for a document in another format, per address.
FORMAT_REQUEST_RATE = env_str("FORMAT_REQUEST_RATE", "20/h")
# Requests for a copy or the erasure of a response, per address: few people
# ever need more than one, and each reaches officers' inboxes.
RIGHTS_REQUEST_RATE = env_str("RIGHTS_REQUEST_RATE", "10/h")
# Password reset links: per address of the connection, and per e-mail
# address (beyond it, nothing more is sent to that inbox).
PASSWORD_RESET_RATE = env_str("PASSWORD_RESET_RATE", "20/h")
PASSWORD_RESET_EMAIL_RATE = env_str("PASSWORD_RESET_EMAIL_RATE", "3/h")
# Asking to follow consultations by e-mail, per address: each request sends
# a confirmation e-mail to whatever address was typed.
SUBSCRIBE_RATE = env_str("SUBSCRIBE_RATE", "10/h")
# E-mailing a receipt or a "come back later" link, per address.
CONSULTATION_EMAIL_RATE = env_str("CONSULTATION_EMAIL_RATE", "20/h")

# The partnership brand used on pages and documents.
SAFERMK_BRAND_NAME = env_str("SAFERMK_BRAND_NAME", "Community Safety Strategy")
SAFERMK_BRAND_COLOUR = env_str("SAFERMK_BRAND_COLOUR", "#1d5c63")
# The day this installation was last tested for accessibility (the
# automated checks of the release it runs, and people using its pages at
# 1280 and 320 pixels wide), as every partnership's accessibility statement
# gives it. Set it when the installation is tested again, or audited.
SAFERMK_ACCESSIBILITY_TESTED_ON = env_date("SAFERMK_ACCESSIBILITY_TESTED_ON", "2026-11-30")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools narrate every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Faults: what the public journey does when a part of the stack is down.
# A Redis that hangs must not hang the page: the rate limits give up after a
# second and fail open (safermk/ratelimits.py), and /healthz reports it.
REDIS_SOCKET_TIMEOUT = env_int("REDIS_SOCKET_TIMEOUT", 1)
if REDIS_URL:
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
    }
# A consultation answered but never sent is deleted this long after its last
# page (consultation/journey.py; clearsessions runs nightly). Staff sessions
# keep SESSION_COOKIE_AGE.
CONSULTATION_JOURNEY_SECONDS = env_int("CONSULTATION_JOURNEY_SECONDS", 24 * 60 * 60)
# "Save and come back later": the link restores answers in progress once,
# for this many days (never after the consultation closes); the saved
# answers are deleted when it is used or has expired.
CONSULTATION_SAVED_DAYS = env_int("CONSULTATION_SAVED_DAYS", 7)
# Following consultations by e-mail: an address never confirmed is deleted
# this many days after it was given (an unsubscribed one at once).
SUBSCRIPTION_UNCONFIRMED_DAYS = env_int("SUBSCRIPTION_UNCONFIRMED_DAYS", 7)
# One consultation's results are one e-mail: the address that asked for them
# is deleted this many days after it went (time to use its links).
SUBSCRIPTION_RESULTS_KEPT_DAYS = env_int("SUBSCRIPTION_RESULTS_KEPT_DAYS", 30)
for _name in ("CONSULTATION_SAVED_DAYS", "SUBSCRIPTION_UNCONFIRMED_DAYS",
              "SUBSCRIPTION_RESULTS_KEPT_DAYS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be 1 or more.")

# Partnership set-up: the quorum a new board starts with (each partnership
# sets its own per board) and how long an invitation link lasts.
SAFERMK_DEFAULT_BOARD_QUORUM = env_int("SAFERMK_DEFAULT_BOARD_QUORUM", 2)
SAFERMK_INVITATION_DAYS = env_int("SAFERMK_INVITATION_DAYS", 7)

# Data protection. The audit trail (sign-ins, role changes, exports, views
# of equality data, transitions, decisions, publications, erasures) is kept
# this long, then purged nightly (safermk/schedules.py). A request from a
# respondent (a copy of their response, or its erasure) keeps the e-mail
# address they gave this long after it is decided, then it is blanked.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 730)
RIGHTS_REQUEST_RETENTION_DAYS = env_int("RIGHTS_REQUEST_RETENTION_DAYS", 365)
# A request for a document in another format keeps the person's name and
# contact details this long after it is marked done (or after it was made,
# if it never is), then they are deleted by a nightly task.
FORMAT_REQUEST_RETENTION_DAYS = env_int("FORMAT_REQUEST_RETENTION_DAYS", 365)
# A partnership's archive (all its data, for its administrators) is kept this
# long after it is made, then deleted by an hourly task. An import refuses an
# archive that would unpack to more than PARTNERSHIP_ARCHIVE_IMPORT_MAX_BYTES,
# has more than PARTNERSHIP_ARCHIVE_IMPORT_MAX_FILES entries, or has an entry
# that would grow more than PARTNERSHIP_ARCHIVE_IMPORT_MAX_RATIO times.
PARTNERSHIP_ARCHIVE_KEEP_DAYS = env_int("PARTNERSHIP_ARCHIVE_KEEP_DAYS", 7)
PARTNERSHIP_ARCHIVE_IMPORT_MAX_BYTES = env_int(
    "PARTNERSHIP_ARCHIVE_IMPORT_MAX_BYTES", 2 * 1024 * 1024 * 1024
)
PARTNERSHIP_ARCHIVE_IMPORT_MAX_FILES = env_int("PARTNERSHIP_ARCHIVE_IMPORT_MAX_FILES", 10_000)
PARTNERSHIP_ARCHIVE_IMPORT_MAX_RATIO = env_int("PARTNERSHIP_ARCHIVE_IMPORT_MAX_RATIO", 200)
for _name in ("AUDIT_RETENTION_DAYS", "RIGHTS_REQUEST_RETENTION_DAYS",
              "FORMAT_REQUEST_RETENTION_DAYS", "PARTNERSHIP_ARCHIVE_KEEP_DAYS",
              "PARTNERSHIP_ARCHIVE_IMPORT_MAX_BYTES", "PARTNERSHIP_ARCHIVE_IMPORT_MAX_FILES",
              "PARTNERSHIP_ARCHIVE_IMPORT_MAX_RATIO"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be 1 or more.")

# Sign-in, sessions and CSP
#
# Guessing passwords (django-axes, failures kept in the database so the limit
# holds when Redis is down). An account is locked at one address only: after
# SIGN_IN_FAILURE_LIMIT wrong passwords for a username from an address, that
# username is refused from that address for SIGN_IN_LOCKOUT_MINUTES. Someone
# guessing from elsewhere therefore cannot lock the real person out of their
# own office. An address that fails SIGN_IN_FAILURES_PER_ADDRESS times, across
# any usernames, is refused too (one machine trying a few passwords on every
# account). Signing in, or resetting the password by e-mail, clears the count.
for _old in ("SIGN_IN_RATE_PER_ADDRESS", "SIGN_IN_RATE_PER_USERNAME"):
    if env_str(_old) is not None:
        raise ImproperlyConfigured(
            f"{_old} is no longer read: set SIGN_IN_FAILURE_LIMIT, "
            "SIGN_IN_FAILURES_PER_ADDRESS and SIGN_IN_LOCKOUT_MINUTES instead (see README)."
        )
SIGN_IN_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 10)
SIGN_IN_FAILURES_PER_ADDRESS = env_int("SIGN_IN_FAILURES_PER_ADDRESS", 50)
SIGN_IN_LOCKOUT_MINUTES = env_int("SIGN_IN_LOCKOUT_MINUTES", 10)
for _name in ("SIGN_IN_FAILURE_LIMIT", "SIGN_IN_FAILURES_PER_ADDRESS", "SIGN_IN_LOCKOUT_MINUTES"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be 1 or more.")

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username and address before any password is checked,
    # for every authenticate() call: the sign-in page, the admin's, and any other.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "safermk.lockout.SignInAttemptHandler"
AXES_FAILURE_LIMIT = SIGN_IN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=SIGN_IN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "safermk.lockout.attempted_username"
AXES_CLIENT_IP_CALLABLE = "safermk.net.client_ip"
AXES_LOCKOUT_CALLABLE = "safermk.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# The lock-out page promises a fixed wait; further tries must not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Failed attempts are enough to lock out; a row for every successful sign-in
# would keep addresses for ever.
AXES_DISABLE_ACCESS_LOG = True

# Reset links in e-mails work once, for this long.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Signed-in people are signed out after this long without a request.
# Anonymous sessions (the consultation answers) keep their own expiry.
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 120)
if SESSION_IDLE_TIMEOUT_MINUTES < 1:
    raise ImproperlyConfigured("SESSION_IDLE_TIMEOUT_MINUTES must be 1 or more.")
# A signed-in page warns this long before the sign-out and offers more time
# (WCAG 2.2.1); never more than half the idle time.
SESSION_TIMEOUT_WARNING_SECONDS = min(
    env_int("SESSION_TIMEOUT_WARNING_SECONDS", 5 * 60), SESSION_IDLE_TIMEOUT_MINUTES * 30
)

# Content-Security-Policy on every response. Scripts come only from our own
# static files (no inline scripts, no event-handler attributes). A page that
# must draw with data (the plan chart, the report preview's brand colour) uses
# a <style> element carrying the per-request nonce: {{ request.csp_nonce }}.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF, csp.NONCE],
        "img-src": [csp.SELF, "data:"],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
        "base-uri": [csp.SELF],
        "object-src": [csp.NONE],
    }
}

# Single sign-on (OpenID Connect), off unless configured
# Staff may sign in with their council account (e.g. Microsoft Entra ID) as
# well as with a password. Give all of _OIDC_REQUIRED to turn it on; giving
# only some refuses to start, naming the missing ones. Signing in only opens an
# account that already exists (matched by e-mail); see safermk/oidc.py.
_OIDC_REQUIRED = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_ISSUER",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)
_oidc = {name: (env_str(name) or "").strip() for name in _OIDC_REQUIRED}
OIDC_ENABLED = any(_oidc.values())
OIDC_BUTTON_LABEL = env_str("OIDC_BUTTON_LABEL", "Sign in with your council account")
# Off: unknown people are asked to get an invitation. On: they get an account
# with no partnership, which an administrator must still add them to.
OIDC_CREATE_USER = env_bool("OIDC_CREATE_USER", False)
if OIDC_ENABLED:
    _missing = [name for name, value in _oidc.items() if not value]
    if _missing:
        raise ImproperlyConfigured(
            "Single sign-on is partly configured: set "
            + ", ".join(_missing)
            + " too, or unset every OIDC_ variable to turn it off."
        )
    OIDC_RP_CLIENT_ID = _oidc["OIDC_RP_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = _oidc["OIDC_RP_CLIENT_SECRET"]
    OIDC_OP_ISSUER = _oidc["OIDC_OP_ISSUER"]
    OIDC_OP_AUTHORIZATION_ENDPOINT = _oidc["OIDC_OP_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = _oidc["OIDC_OP_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = _oidc["OIDC_OP_USER_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = _oidc["OIDC_OP_JWKS_ENDPOINT"]
    OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
    if OIDC_RP_SIGN_ALGO not in {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}:
        raise ImproperlyConfigured(
            f"OIDC_RP_SIGN_ALGO must be RS256, RS384, RS512, ES256, ES384 or ES512; "
            f"got {OIDC_RP_SIGN_ALGO!r}"
        )
    OIDC_RP_SCOPES = "openid email profile"
    OIDC_USE_PKCE = True
    # Without a timeout a provider that hangs would hang the sign-in page.
    OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
    OIDC_CLOCK_LEEWAY_SECONDS = 60
    if not OIDC_BUTTON_LABEL:
        raise ImproperlyConfigured("OIDC_BUTTON_LABEL must not be empty.")
    # Appended, so whatever comes first (a lockout backend must) stays first.
    AUTHENTICATION_BACKENDS = [
        *globals().get("AUTHENTICATION_BACKENDS", ["django.contrib.auth.backends.ModelBackend"]),
        "safermk.oidc.CouncilAccountBackend",
    ]
