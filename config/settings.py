"""Arbodossier settings: one module, driven by the environment (see docs/deployment in README).

DEBUG is off unless set. Without DATABASE_URL the app runs on an embedded SQLite file.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import dj_database_url

from arbo.lib.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-DEBUG"  # noqa: S105 - only reachable with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "arbo.audit",
    "arbo.identity",
    "arbo.registry",
    "arbo.access",
    "arbo.journal",
    "arbo.medical",
    "arbo.absence",
    "arbo.prevention",
    "arbo.consent",
    "arbo.portal",
    "arbo.privacy",
    "arbo.api",
    "arbo.demo",
    "django_tasks",
    "django_tasks_db",
    "arbo.operations",
    "arbo.reporting",
    "arbo.retention",
]

MIDDLEWARE = [
    "arbo.lib.jsonlog.RequestLogMiddleware",  # first: the request id covers everything after it
    "arbo.lib.middleware.LoadSheddingMiddleware",  # issue 12: 503 before any work once a request queued too long
    "arbo.audit.context.AccessPointMiddleware",  # issue 10: address and user agent for every audit record
    "django.middleware.security.SecurityMiddleware",
    "arbo.lib.middleware.HtmlOnlyCSPMiddleware",  # issue 19: Content-Security-Policy (django-csp)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "arbo.lib.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "arbo.identity.middleware.UserSessionActivityMiddleware",  # allauth's, once a minute (issue 12)
    "arbo.identity.middleware.SessionLifetimeMiddleware",
    "arbo.privacy.processors.middleware.SupportWindowMiddleware",
    "arbo.identity.middleware.RequireMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "arbo.lib.middleware.NoStoreMiddleware",  # issue 19: no cached copies of personal data
]

# Issue 12: a request that waited longer than this (seconds) in gunicorn's queue is answered 503 at
# once (config.gunicorn_worker, arbo.lib.middleware.LoadSheddingMiddleware).
REQUEST_QUEUE_DEADLINE = env_int("REQUEST_QUEUE_DEADLINE_MS", 1_000) / 1000

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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'arbodossier.sqlite3'}"),
        # Issue 12: connections are kept between requests (a minute) and checked before reuse.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Embedded: the web server, the worker and the scheduler share one file. WAL lets readers go on
    # while one writes; write transactions take the lock when they begin (IMMEDIATE), so they wait
    # for each other (up to 60 s) instead of failing halfway with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 60,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=60000;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A process that dies or hangs inside a transaction must not hold the audit chain or a row lock
    # for long: PostgreSQL ends such sessions itself.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c idle_in_transaction_session_timeout={env_int('DB_IDLE_IN_TRANSACTION_MS', 120_000)}"
        f" -c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 600_000)}"
        # Issue 12: no JIT compilation. Its cost (40 ms of compiling for the case list's 3 ms plan
        # on a 200,000-employee book) is paid on every short query whose estimate passes
        # jit_above_cost; this is an OLTP application.
        " -c jit=off"
    )

# --- Cache: TOTP replay protection and login throttling live here, so production must share it --
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Progress of work in the workers (a roster commit), read by the web processes: Redis when
    # there is one, else a file cache that the processes on this one machine share.
    "progress": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "progress",
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("PROGRESS_CACHE_DIR", str(BASE_DIR / "var" / "progress")),
        }
    ),
}

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "arbo.identity.adapter.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Throttling: failed logins per account+address with growing delays (arbo/identity/throttle.py,
# issue 19: no lockout an attacker can cause from elsewhere); allauth keeps the limit per address
# over all accounts, and overall login attempts per address.
ACCOUNT_RATE_LIMITS = {
    # Wrong passwords from one address over all accounts (arbo.identity.adapter.pre_authenticate).
    "login_password_failed": env_str("LOGIN_FAILED_RATE", "20/5m/ip"),
    # Wrong second-factor codes, per account: only reachable with the right password.
    "login_failed": env_str("MFA_FAILED_RATE", "5/5m/key,20/5m/ip"),
    "login": env_str("LOGIN_RATE", "30/m/ip"),
    "reauthenticate": "10/m/user",
    "signup": "0/m/ip",
}
MFA_ADAPTER = "arbo.identity.adapter.MFAAdapter"  # secrets encrypted at rest; TOTP cannot be switched off
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Arbodossier"
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODE_COUNT = 10
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
USERSESSIONS_TRACK_ACTIVITY = True
# Behind a reverse proxy the client address comes from X-Forwarded-For (throttling, audit records).
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if env_bool("BEHIND_PROXY", False) else 0

# Sessions: 15 minutes idle (the cookie age is renewed on every request), 10 hours absolute.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 15 * 60)
# Issue 12: the session (its last activity and expiry) is written at most once a minute, not on
# every request (arbo.identity.middleware.ACTIVITY_INTERVAL): a plain GET writes nothing else.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy (django-csp 4, issue 19) ------------------------------------------
# Self only: the app's own scripts (htmx, allauth's WebAuthn helpers) and styles, no inline script
# or style, no eval, no plugins, no framing, forms post only to the app itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Field encryption (BSN now, medical data later) -------------------------------------------
# FIELD_ENCRYPTION_KEYS: comma-separated "keyid:base64key" (32-byte AES keys); the first encrypts,
# all decrypt, so a key can be rotated in. BLIND_INDEX_KEY keys the HMAC used for exact lookups.
FIELD_ENCRYPTION_KEYS = env_secret("FIELD_ENCRYPTION_KEYS")
BLIND_INDEX_KEY = env_secret("BLIND_INDEX_KEY")
if not FIELD_ENCRYPTION_KEYS or not BLIND_INDEX_KEY:
    if not DEBUG and not env_bool("ALLOW_DERIVED_KEYS", False):
        raise RuntimeError("FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY must be set when DEBUG is off")
    # Development and tests only: keys derived from SECRET_KEY so the embedded setup just works.
    _derived = base64.b64encode(hashlib.sha256(("enc:" + SECRET_KEY).encode()).digest()).decode()
    FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or f"dev1:{_derived}"
    BLIND_INDEX_KEY = BLIND_INDEX_KEY or hashlib.sha256(("bidx:" + SECRET_KEY).encode()).hexdigest()

# --- Audit log --------------------------------------------------------------------------------
# AUDIT_HMAC_KEY keys the HMAC-SHA256 hash chain over the audit log (arbo/audit/chain.py). Keep it
# out of the database and its backups: whoever holds it can rewrite the log undetectably. Changing
# it makes every earlier row fail verify_audit.
AUDIT_HMAC_KEY = env_secret("AUDIT_HMAC_KEY")
if not AUDIT_HMAC_KEY:
    if not DEBUG and not env_bool("ALLOW_DERIVED_KEYS", False):
        raise RuntimeError("AUDIT_HMAC_KEY must be set when DEBUG is off")
    # Development and tests only: derived from SECRET_KEY so the embedded setup just works.
    AUDIT_HMAC_KEY = hashlib.sha256(("audit:" + SECRET_KEY).encode()).hexdigest()

# Category C (arbo.medical): master keys that wrap each person's data key ("keyid:base64key", the
# first wraps new keys). Keep them apart from FIELD_ENCRYPTION_KEYS and from database backups.
MEDICAL_MASTER_KEYS = env_secret("MEDICAL_MASTER_KEYS")
if not MEDICAL_MASTER_KEYS:
    if not DEBUG and not env_bool("ALLOW_DERIVED_KEYS", False):
        raise RuntimeError("MEDICAL_MASTER_KEYS must be set when DEBUG is off")
    MEDICAL_MASTER_KEYS = (
        "devm1:" + base64.b64encode(hashlib.sha256(("med:" + SECRET_KEY).encode()).digest()).decode()
    )

# --- Internationalisation: Dutch first, English second ----------------------------------------
LANGUAGE_CODE = "nl"
# Each language in its own name, untranslated, so the switch reads the same in both.
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format in both languages: "4 december 2026" / "4 December 2026" (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
# The register of destructions (arbo.retention.register): outside the database, so that a restored
# backup destroys again what was destroyed after it was taken. Keep it on storage that survives the
# database server and back it up apart from the dumps.
RETENTION_REGISTER_PATH = env_str(
    "RETENTION_REGISTER_PATH", str(BASE_DIR / "var" / "destruction-register.jsonl")
)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# --- Mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "arbodossier@localhost")
#: The address users reach the app at: links in e-mails (which never carry personal data) use it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["arbo.api.auth.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "arbo.api.pagination.KeysetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_RATES": {"user": env_str("API_RATE", "600/minute")},
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    # Issue 19: bodies of at most 64 kB and 8 levels; Http404 as a Dutch JSON error.
    "DEFAULT_PARSER_CLASSES": ["arbo.api.parsers.LimitedJSONParser"],
    "EXCEPTION_HANDLER": "arbo.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Arbodossier API",
    "DESCRIPTION": "Employer API: an API client belongs to one employer and sees only that employer's "
    "employees, and only category A and D data.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Issue 19: the schema and the docs only for signed-in users and API clients.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": [
        "arbo.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Served by the app itself: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Logs: one JSON object per line (request id, user id and kind, view; never personal data, see
# arbo/lib/jsonlog.py); LOG_FORMAT=text for a readable development console (the default with DEBUG).
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "arbo.lib.jsonlog.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "arbo.lib.jsonlog.JsonFormatter"},
        "text": {
            "()": "arbo.lib.jsonlog.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_context"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # The request line of arbo.request replaces these (they would log query strings).
    "loggers": {
        "django.server": {"level": "WARNING"},
        # Issue 18: WeasyPrint's font subsetting logs a line per table at INFO; not news.
        "fontTools": {"level": "WARNING"},
    },
}

# --- Operations: the job queue and the scheduler (arbo/operations) ---------------------------
# django-tasks (the backport of Django 6's django.tasks) with its database backend: queued tasks
# are rows, claimed with SELECT ... FOR UPDATE SKIP LOCKED by `manage.py worker` on any machine.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# /healthz and /readyz answer these addresses (the load balancer's; CIDR allowed) or a request with
# "Authorization: Bearer <HEALTH_TOKEN>"; anyone else gets a 404.
HEALTH_ALLOWED_IPS = env_list("HEALTH_ALLOWED_IPS", "127.0.0.1/32,::1/128")
HEALTH_TOKEN = env_secret("HEALTH_TOKEN")

# --- Reporting (issue 17) ---------------------------------------------------------------------
#: Small-group suppression: no absence figure of fewer than this many employees (never below 5).
REPORT_MIN_GROUP_SIZE = env_int("REPORT_MIN_GROUP_SIZE", 10)
