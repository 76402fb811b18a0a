"""Django settings for OneSeal, read from the environment (see docs/settings.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import (
    DEV_SECRET_KEY,
    cache_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    object_storages,
)
from .schedule import PERIODIC_JOBS

BASE_DIR = Path(__file__).resolve().parent.parent  # src/oneseal
PROJECT_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(env_str("ONESEAL_DATA_DIR", str(PROJECT_DIR / "var")))
# Files the system writes (database, uploads, signed documents, keys, logs) are readable by
# its own user only: a umask for the whole process, set before anything is created.
os.umask(int(env_str("ONESEAL_UMASK", "077"), 8))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY if DEBUG or env_bool("ONESEAL_DEV") else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY 未设置（生产环境必须提供）。 SECRET_KEY is required.")
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or env_bool("ONESEAL_DEV") else ""
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs (Swagger UI) from its own static files, never a CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "oneseal.core",
    "oneseal.core.workcalendar",
    "oneseal.org",
    "oneseal.accounts",
    "oneseal.applicants",
    "oneseal.catalog",
    "oneseal.cases",
    "oneseal.seal",
    "oneseal.licences",
    "oneseal.supervision",
    "oneseal.notifications",
    "oneseal.hall",
    "oneseal.coordination",
    "oneseal.intermediaries",
    "oneseal.archives",
    "oneseal.portal",
    "oneseal.workbench",
    "oneseal.api",
]

MIDDLEWARE = [
    "oneseal.core.metrics.MetricsMiddleware",  # first: times the whole request (/metrics)
    "oneseal.core.middleware.RequestSizeLimitMiddleware",  # before anything reads the body
    "django.middleware.security.SecurityMiddleware",
    "oneseal.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "oneseal.core.bounds.BoundedPathIntegersMiddleware",  # <int:…> beyond 2⁶³ − 1: 404
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "oneseal.core.dbrouter.ReplicaReadsMiddleware",  # harmless GETs to the replica, if any
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "oneseal.config.urls"
WSGI_APPLICATION = "oneseal.config.wsgi.application"

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
                "oneseal.core.context_processors.site",
                "oneseal.notifications.context_processors.unread",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'oneseal.sqlite3'}"
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0 if env_bool("ONESEAL_TESTING") else _db["CONN_MAX_AGE"]
    _db["OPTIONS"] = {
        # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so
        # two writers queue instead of failing half-way (the audit chain relies on it).
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;PRAGMA cache_size=-64000;PRAGMA mmap_size=268435456;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
    }
    if env_bool("ONESEAL_TESTING"):
        # A file, not :memory:, so that tests can open a second connection or process; one
        # per test process, so that two test runs on one machine never share (or delete)
        # each other's database.
        _db["TEST"] = {"NAME": str(DATA_DIR / f"test-oneseal-{os.getpid()}.sqlite3")}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
# A PostgreSQL streaming replica for the reads where a few seconds' staleness is harmless
# (lists, statistics): core/dbrouter.py, docs/deployment-province.md. Unset: no replica.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    _replica = dj_database_url.parse(DATABASE_REPLICA_URL,
                                     conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    _replica["CONN_HEALTH_CHECKS"] = True
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["oneseal.core.dbrouter.ReplicaRouter"]
# The views (URL names) whose GET reads may go to the replica. `api:create_case` is the
# name django-ninja gives the path /api/v1/cases, whose GET is the case list.
ONESEAL_REPLICA_VIEWS = env_list(
    "ONESEAL_REPLICA_VIEWS", "api:create_case,cases:list,case_stats:page,public_stats:monthly")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # the provincial unified identity platform (OIDC); authenticates nobody unless enabled
    "oneseal.applicants.oidc.IdentityPlatformBackend",
]
PASSWORD_HASHERS = [
    "oneseal.accounts.hashers.OneSealArgon2PasswordHasher",  # OWASP minimum, see the module
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "portal:home"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
# Lock the account, not the address: a service hall sits behind one NAT address, and locking
# it would stop every window at once.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "OneSeal")

# Login through the provincial unified identity platform (applicants/oidc.py, OpenID Connect
# with mozilla-django-oidc): on when ONESEAL_OIDC_CLIENT_ID is set.
ONESEAL_OIDC_ENABLED = bool(env_str("ONESEAL_OIDC_CLIENT_ID"))
ONESEAL_OIDC_ISSUER = env_str("ONESEAL_OIDC_ISSUER")
ONESEAL_OIDC_ID_NUMBER_CLAIM = env_str("ONESEAL_OIDC_ID_NUMBER_CLAIM", "id_number")
ONESEAL_OIDC_VERIFIED_CLAIM = env_str("ONESEAL_OIDC_VERIFIED_CLAIM")
ONESEAL_OIDC_NAME_CLAIM = env_str("ONESEAL_OIDC_NAME_CLAIM", "name")
ONESEAL_OIDC_PHONE_CLAIM = env_str("ONESEAL_OIDC_PHONE_CLAIM", "phone_number")
ONESEAL_OIDC_BUTTON_LABEL = env_str("ONESEAL_OIDC_BUTTON_LABEL", "")
OIDC_RP_CLIENT_ID = env_str("ONESEAL_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("ONESEAL_OIDC_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("ONESEAL_OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("ONESEAL_OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("ONESEAL_OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("ONESEAL_OIDC_JWKS_ENDPOINT") or None
OIDC_RP_SIGN_ALGO = env_str("ONESEAL_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("ONESEAL_OIDC_SCOPES", "openid profile")
OIDC_TIMEOUT = env_float("ONESEAL_OIDC_TIMEOUT", 10.0)
OIDC_USE_PKCE = env_bool("ONESEAL_OIDC_PKCE", True)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?oidc=failed"

# --- i18n -----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- static and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES: dict[str, dict[str, Any]] = {
    # uploads (the FileFields of cases, catalog, coordination, intermediaries): MEDIA_ROOT
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # signed PDFs, content addressed (seal/storage.py): <ONESEAL_DATA_DIR>/signed
    "signed": {"BACKEND": "oneseal.seal.storage.LocalSignedStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Files in S3-compatible object storage (MinIO, the province's cloud; docs/deployment-
# province.md "Files"): with a bucket set, uploads go under media/ and signed PDFs under
# signed/ of that bucket, through django-storages. The bucket stays private: files are
# served by the permission-checked views only, never by a URL of the store.
ONESEAL_S3_BUCKET = env_str("ONESEAL_S3_BUCKET", "")
if ONESEAL_S3_BUCKET:
    STORAGES.update(object_storages(
        bucket=ONESEAL_S3_BUCKET, endpoint_url=env_str("ONESEAL_S3_ENDPOINT_URL", ""),
        access_key=env_str("ONESEAL_S3_ACCESS_KEY", ""),
        secret_key=env_str("ONESEAL_S3_SECRET_KEY", ""), region=env_str("ONESEAL_S3_REGION", ""),
        addressing_style=env_str("ONESEAL_S3_ADDRESSING_STYLE", "path")))
# Served by Django itself (also with DEBUG off): the system must run on one closed machine.
ONESEAL_SERVE_STATIC = env_bool("ONESEAL_SERVE_STATIC", True)

# --- background tasks -------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# `oneseal worker`: its lease (a task of a worker silent this long is queued again) and its
# schedule of periodic jobs (config/schedule.py; see oneseal.core.worker and core.schedule).
ONESEAL_WORKER_LEASE_SECONDS = env_int("ONESEAL_WORKER_LEASE_SECONDS", 60)
ONESEAL_PERIODIC_JOBS = PERIODIC_JOBS
# The daily signed anchors of the audit chain's head (core/audit_anchor.py); empty:
# <ONESEAL_DATA_DIR>/audit-anchors. Copy them off the machine too.
ONESEAL_AUDIT_ANCHOR_DIR = env_str("ONESEAL_AUDIT_ANCHOR_DIR", "")

# --- security ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and env_bool("HTTPS", False))
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", env_bool("HTTPS", False))
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", env_bool("HTTPS", False))
# HSTS for a year as soon as the site is served over HTTPS (0: off, as over plain HTTP).
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if env_bool("HTTPS") else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY") else None
)

SILENCED_SYSTEM_CHECKS = ["axes.W006"]  # deliberate: see AXES_LOCKOUT_PARAMETERS

# Request bodies: refused above ONESEAL_REQUEST_MAX_BYTES by Content-Length before they are
# read (core/middleware.py; the largest upload plus room for the form around it); form
# fields other than files at most 2.5 MB; files above 2.5 MB go to a temporary file.
ONESEAL_REQUEST_MAX_BYTES = env_int(
    "ONESEAL_REQUEST_MAX_BYTES",
    max(env_int("ONESEAL_UPLOAD_MAX_BYTES", 20 * 1024 * 1024),
        env_int("ONESEAL_VERIFY_MAX_BYTES", 20 * 1024 * 1024)) + 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Explicit modes for uploads (the umask above covers everything else).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated):
# the client's address for the throttles is read from that header only when the direct peer
# is one of them (core/throttle.py).
ONESEAL_TRUSTED_PROXIES = env_list("ONESEAL_TRUSTED_PROXIES")
# /metrics (Prometheus): with a token, only `Authorization: Bearer <token>`; without, only
# requests from this machine that came through no proxy (oneseal.core.metrics).
ONESEAL_METRICS_TOKEN = env_str("ONESEAL_METRICS_TOKEN")

# --- cache (the throttles' counters, shared by every worker process) -------------------------
# The database by default (table `oneseal_cache`, made by migrate); Redis when
# ONESEAL_CACHE_URL is redis://… (needs `pip install 'oneseal[redis]'`).
ONESEAL_CACHE_URL = env_str("ONESEAL_CACHE_URL", "")
CACHES = {"default": cache_from_url(ONESEAL_CACHE_URL)}

# --- OneSeal ----------------------------------------------------------------------------
ONESEAL_BUREAU_CODE = env_str("ONESEAL_BUREAU_CODE", "11530112MB12345678")
ONESEAL_SITE_NAME = env_str("ONESEAL_SITE_NAME", "西山区行政审批局")
# The service hall shown on the public pages (empty: "待公布" is shown).
ONESEAL_HALL_ADDRESS = env_str("ONESEAL_HALL_ADDRESS", "")
ONESEAL_HALL_HOURS = env_str("ONESEAL_HALL_HOURS", "")
ONESEAL_HALL_PHONE = env_str("ONESEAL_HALL_PHONE", "")
# Uploaded materials (cases/uploads.py): the largest file accepted and the most PDF pages.
ONESEAL_UPLOAD_MAX_BYTES = env_int("ONESEAL_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
ONESEAL_UPLOAD_MAX_PAGES = env_int("ONESEAL_UPLOAD_MAX_PAGES", 500)
# The legal documents (cases/documents.py): a TrueType CJK font to embed (empty: look for
# an installed one), and the body that hears 行政复议 against the bureau's decisions.
ONESEAL_CJK_FONT = env_str("ONESEAL_CJK_FONT", "")
ONESEAL_RECONSIDERATION_BODY = env_str("ONESEAL_RECONSIDERATION_BODY", "昆明市西山区人民政府")
# The seals (seal/): where `oneseal seal init` keeps the PKCS#12 key files and the demo CA;
# which key store signs ("pkcs12", or "pkcs11" for an HSM or USB key, with its module, token
# label and PIN); the PKCS#12 passphrase (empty: a random one kept in ONESEAL_SEAL_DIR with
# mode 0600). The private keys never enter the database.
ONESEAL_SEAL_DIR = Path(env_str("ONESEAL_SEAL_DIR", str(DATA_DIR / "seal")))
ONESEAL_SEAL_BACKEND = env_str("ONESEAL_SEAL_BACKEND", "pkcs12")
ONESEAL_SEAL_PASSPHRASE = env_str("ONESEAL_SEAL_PASSPHRASE", "")
ONESEAL_SEAL_PKCS11_MODULE = env_str("ONESEAL_SEAL_PKCS11_MODULE", "")
ONESEAL_SEAL_PKCS11_TOKEN = env_str("ONESEAL_SEAL_PKCS11_TOKEN", "")
ONESEAL_SEAL_PKCS11_PIN = env_str("ONESEAL_SEAL_PKCS11_PIN", "")
# The address printed in the licences' QR codes (the public /verify page).
ONESEAL_PUBLIC_URL = env_str("ONESEAL_PUBLIC_URL", "http://127.0.0.1:8000")
# Remind a licence holder this many days before the last day to apply for renewal (第50条).
ONESEAL_RENEWAL_REMINDER_DAYS = env_int("ONESEAL_RENEWAL_REMINDER_DAYS", 15)
# Public verification (licences/verification.py): the largest PDF, the deadline of one
# verification in its helper process, how many helpers per web process, and how long a
# request waits for a free helper before a 503.
ONESEAL_VERIFY_MAX_BYTES = env_int("ONESEAL_VERIFY_MAX_BYTES", 20 * 1024 * 1024)
ONESEAL_VERIFY_TIMEOUT = env_float("ONESEAL_VERIFY_TIMEOUT", 5.0)
ONESEAL_VERIFY_WORKERS = env_int("ONESEAL_VERIFY_WORKERS", 2)
ONESEAL_VERIFY_WAIT = env_float("ONESEAL_VERIFY_WAIT", 3.0)
ONESEAL_VERIFY_MEMORY_MB = env_int("ONESEAL_VERIFY_MEMORY_MB", 1024)  # per helper; 0: no limit

# Text messages (core/sms.py): "console" (the log), "file" (JSON lines in ONESEAL_SMS_FILE,
# default <ONESEAL_DATA_DIR>/sms.jsonl: the demo's) or "http" (the provincial SMS gateway,
# HMAC-signed POST). Verification codes (accounts/phone_codes.py): per phone at most one a
# minute and ONESEAL_SMS_CODES_PER_DAY a day.
ONESEAL_SMS_BACKEND = env_str(
    "ONESEAL_SMS_BACKEND", "file" if env_bool("ONESEAL_DEV") else "console")
ONESEAL_SMS_FILE = env_str("ONESEAL_SMS_FILE", "")
ONESEAL_SMS_HTTP_URL = env_str("ONESEAL_SMS_HTTP_URL", "")
ONESEAL_SMS_HTTP_SECRET = env_str("ONESEAL_SMS_HTTP_SECRET", "")
ONESEAL_SMS_HTTP_SENDER = env_str("ONESEAL_SMS_HTTP_SENDER", "")
ONESEAL_SMS_HTTP_TIMEOUT = env_float("ONESEAL_SMS_HTTP_TIMEOUT", 5.0)
ONESEAL_SMS_CODES_PER_DAY = env_int("ONESEAL_SMS_CODES_PER_DAY", 10)

# Supervision (supervision/alerts.py): the yellow light comes ONESEAL_ALERT_YELLOW_DAYS working
# days before a due date, or ONESEAL_ALERT_YELLOW_SHARE (0-1) of the limit if that is longer.
ONESEAL_ALERT_YELLOW_DAYS = env_int("ONESEAL_ALERT_YELLOW_DAYS", 1)
ONESEAL_ALERT_YELLOW_SHARE = (env_float("ONESEAL_ALERT_YELLOW_SHARE", 0.0) or None)
# Coordination (coordination/events.py, webhooks.py): the CloudEvents `source` (empty:
# /oneseal/<ONESEAL_BUREAU_CODE>) and the seconds a webhook receiver has to answer.
ONESEAL_EVENT_SOURCE = env_str("ONESEAL_EVENT_SOURCE", "")
ONESEAL_WEBHOOK_TIMEOUT = env_float("ONESEAL_WEBHOOK_TIMEOUT", 10.0)
# Archives (archives/storage.py, backup.py): 全宗号, and where `oneseal backup` writes.
ONESEAL_ARCHIVE_FONDS = env_str("ONESEAL_ARCHIVE_FONDS", "")
ONESEAL_BACKUP_DIR = env_str("ONESEAL_BACKUP_DIR", "")
ONESEAL_BACKUP_KEEP = env_int("ONESEAL_BACKUP_KEEP", 7)
ONESEAL_BACKUP_MAX_AGE_HOURS = env_int("ONESEAL_BACKUP_MAX_AGE_HOURS", 36)

# LOG_FORMAT: unset (the message alone; the journal adds time and unit), `text` or `json`
# (one object per line): oneseal/core/logfmt.py, docs/operations.md.
_log_format = env_str("LOG_FORMAT")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"()": f"oneseal.core.logfmt.{'Json' if _log_format == 'json' else 'Text'}"
                       "Formatter"}} if _log_format in ("json", "text") else {},
    "handlers": {"console": {"class": "logging.StreamHandler",
                             **({"formatter": "line"} if _log_format in ("json", "text")
                                else {})}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
