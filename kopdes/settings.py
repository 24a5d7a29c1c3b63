"""Kopdes settings: everything comes from environment variables (documented in .env.example).

Development needs nothing set: SQLite in the project folder, debug on, a throwaway secret key.
Production (KOPDES_PRODUCTION=1) refuses to start without DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_per_role(name: str, default: str, unit_seconds: int) -> dict[str, int]:
    """`role=number,…,default=number` in seconds (the number counts `unit_seconds`); `default` covers other roles."""
    values = {}
    for item in (os.environ.get(name) or default).split(","):
        if not item.strip():
            continue
        role, _sep, number = item.partition("=")
        values[role.strip()] = int(number) * unit_seconds
    if "default" not in values:
        raise ImproperlyConfigured(f"{name} needs a default=… entry.")
    return values


PRODUCTION = env_bool("KOPDES_PRODUCTION")
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if PRODUCTION:
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("KOPDES_PRODUCTION=1 needs DJANGO_SECRET_KEY (at least 32 characters).")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("KOPDES_PRODUCTION=1 needs DJANGO_ALLOWED_HOSTS (comma-separated host names).")
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_DEBUG must be off when KOPDES_PRODUCTION=1.")
else:
    SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "kopdes.core",
    "kopdes.audit",
    "kopdes.regions",
    "kopdes.accounts",
    "kopdes.notifications",
    "kopdes.periods",
    "kopdes.people",
    "kopdes.formation",
    "kopdes.api",
    "kopdes.documents",
    "kopdes.reports",
    "kopdes.cooperatives",
    "kopdes.assistance",
    "kopdes.buildings",
    "kopdes.returns",
    "kopdes.imports",
    "kopdes.dashboards",
    "kopdes.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "kopdes.core.middleware.PrivacyHeadersMiddleware",
    "kopdes.core.middleware.QueryCleaningMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kopdes.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kopdes.accounts.middleware.SessionLifetimeMiddleware",
    "kopdes.accounts.middleware.UserTimezoneMiddleware",
    "kopdes.accounts.middleware.AccountGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kopdes.urls"
WSGI_APPLICATION = "kopdes.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kopdes" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kopdes.web.context_processors.navigation",
                "kopdes.accounts.sessions.restored_form",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# SQLite for an office's load (bench/concurrent_users.py measures it): write-ahead logging so readers
# never wait for a writer, writers queue for up to 20 s instead of failing with "database is locked", and every
# transaction takes the write lock at its start (IMMEDIATE) so two transactions that read then write cannot deadlock
# on lock upgrade (SQLite answers that with an immediate "database is locked", whatever the timeout).
# KOPDES_SQLITE_TUNED=0 turns this off (only to measure the baseline).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and env_bool("KOPDES_SQLITE_TUNED", True):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions and the cache live in the database so app servers stay stateless.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The cache: the database (zero setup, shared by every app node), or Redis when KOPDES_CACHE_URL (or REDIS_URL) is set,
# e.g. redis://127.0.0.1:6379/1 (Django's own RedisCache; Debian's redis-server; bench/cache_backends.py compares them).
KOPDES_CACHE_URL = os.environ.get("KOPDES_CACHE_URL") or os.environ.get("REDIS_URL", "")
if KOPDES_CACHE_URL:
    if not KOPDES_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("KOPDES_CACHE_URL is a redis://, rediss:// or unix:// address.")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": KOPDES_CACHE_URL,
            "KEY_PREFIX": os.environ.get("KOPDES_CACHE_PREFIX", "kopdes"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kopdes_cache",
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["kopdes.accounts.backends.KopdesBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    # Django's validators, with messages that read well in Indonesian (kopdes/accounts/validators.py)
    {"NAME": "kopdes.accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "kopdes.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "kopdes.accounts.validators.CommonPasswordValidator"},
    {"NAME": "kopdes.accounts.validators.NumericPasswordValidator"},
]
# Failed logins allowed for one account from one address inside the window before that pair is locked; an address with
# more failures than LOGIN_ADDRESS_SLOWDOWN_AFTER (any usernames) gets one attempt per LOGIN_ADDRESS_DELAY_SECONDS.
LOGIN_FAILURE_LIMIT = int(os.environ.get("KOPDES_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("KOPDES_LOGIN_FAILURE_WINDOW", "900"))
LOGIN_ADDRESS_SLOWDOWN_AFTER = int(os.environ.get("KOPDES_LOGIN_ADDRESS_SLOWDOWN_AFTER", str(LOGIN_FAILURE_LIMIT * 4)))
LOGIN_ADDRESS_DELAY_SECONDS = int(os.environ.get("KOPDES_LOGIN_ADDRESS_DELAY", "10"))
# The second factor (TOTP, django-otp): required for these roles (superusers too when the list is not empty); every
# other account may turn it on. Outside production nobody is required, so the demo accounts log in with a password.
SECOND_FACTOR_REQUIRED_ROLES = env_list("KOPDES_2FA_REQUIRED_ROLES", "admin_dinas" if PRODUCTION else "")
OTP_TOTP_ISSUER = os.environ.get("KOPDES_OTP_ISSUER", "Kopdes")
# Sessions end after a time without requests (idle) and at the latest a time after the login (absolute), per role; an
# account with several roles gets the shortest. Minutes and hours; `default` covers the roles not named.
SESSION_IDLE_SECONDS = env_per_role("KOPDES_SESSION_IDLE_MINUTES", "admin_dinas=30,pimpinan=30,default=480", 60)
SESSION_ABSOLUTE_SECONDS = env_per_role("KOPDES_SESSION_MAX_HOURS", "admin_dinas=8,pimpinan=8,default=12", 3600)
SESSION_COOKIE_AGE = max(SESSION_ABSOLUTE_SECONDS.values())
# A self-service password reset link (sent only to a confirmed email address) works this long.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("KOPDES_PASSWORD_RESET_MINUTES", "120")) * 60
# JSON API bearer tokens expire; wrong tokens from one address past the limit inside the login window answer 429.
API_TOKEN_LIFETIME_DAYS = int(os.environ.get("KOPDES_API_TOKEN_DAYS", "90"))
API_TOKEN_FAILURE_LIMIT = int(os.environ.get("KOPDES_API_TOKEN_FAILURE_LIMIT", "20"))
# A search posted (it may hold a NIK) is kept server-side behind an opaque token in the result address this long.
SEARCH_TOKEN_SECONDS = int(os.environ.get("KOPDES_SEARCH_TOKEN_SECONDS", "1800"))

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "kopdes" / "locale"]
USE_I18N = True
USE_TZ = True
# Timestamps are stored in UTC; pages show them in the zone of the user's region (see UserTimezoneMiddleware).
TIME_ZONE = os.environ.get("KOPDES_DEFAULT_TIME_ZONE", "Asia/Makassar")
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from npm (package.json) and are served by WhiteNoise under /static/vendor/.
STATICFILES_DIRS = [
    BASE_DIR / "kopdes" / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/exifr", NODE_MODULES / "exifr" / "dist"),
]
# Uploaded files: a folder (KOPDES_MEDIA_ROOT; a shared volume when several app nodes run) or, with KOPDES_STORAGE=s3,
# an S3-compatible bucket through django-storages (`pip install django-storages[s3]`; docs/deployment.md). Code reads
# and writes uploads only through the storage API (kopdes/tests/test_storage_api.py holds it to that).
KOPDES_STORAGE = os.environ.get("KOPDES_STORAGE", "filesystem").strip().lower()
if KOPDES_STORAGE == "s3":
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("KOPDES_S3_BUCKET", ""),
            "endpoint_url": os.environ.get("KOPDES_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("KOPDES_S3_REGION") or None,
            "location": os.environ.get("KOPDES_S3_PREFIX", ""),
            # credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment (boto3 reads them itself)
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if not _DEFAULT_STORAGE["OPTIONS"]["bucket_name"]:  # type: ignore[index]
        raise ImproperlyConfigured("KOPDES_STORAGE=s3 needs KOPDES_S3_BUCKET.")
elif KOPDES_STORAGE == "filesystem":
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(f"KOPDES_STORAGE is 'filesystem' or 's3', not {KOPDES_STORAGE!r}.")
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded files live outside the static root and are served only through access-checked views.
MEDIA_ROOT = Path(os.environ.get("KOPDES_MEDIA_ROOT", BASE_DIR / "media"))
# A building photo farther than this from the land's position is flagged to the office (a warning, never a refusal).
KOPDES_PHOTO_FAR_METRES = int(os.environ.get("KOPDES_PHOTO_FAR_METRES", "1000"))
UPLOAD_MAX_BYTES = int(os.environ.get("KOPDES_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
# Spreadsheet imports: a larger limit than evidence files; checked before the file is read.
IMPORT_MAX_BYTES = int(os.environ.get("KOPDES_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# What a workbook may expand to before it is read (kopdes/imports/inspection.py): all its parts expanded,
# the expanded/compressed ratio of a part over 1 MB, a sheet's rows and cells (rows x columns from A1).
IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("KOPDES_IMPORT_MAX_UNCOMPRESSED_BYTES", str(200 * 1024 * 1024)))
IMPORT_MAX_RATIO = int(os.environ.get("KOPDES_IMPORT_MAX_RATIO", "100"))
IMPORT_MAX_ROWS = int(os.environ.get("KOPDES_IMPORT_MAX_ROWS", "250000"))
IMPORT_MAX_CELLS = int(os.environ.get("KOPDES_IMPORT_MAX_CELLS", "6000000"))
# Dashboards: a village is "stalled" after this many days without verified progress; the map draws no base map
# unless a tile server URL is named (e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png — an outside server).
KOPDES_STALLED_DAYS = int(os.environ.get("KOPDES_STALLED_DAYS", "14"))
KOPDES_MAP_TILE_URL = os.environ.get("KOPDES_MAP_TILE_URL", "")

# Where the region importer finds the npm package idn-area-data (data/*.csv).
REGION_NPM_DATA_DIR = Path(os.environ.get("KOPDES_REGION_NPM_DIR", NODE_MODULES / "idn-area-data" / "data"))

# Background work (reminders, notifications, big exports): Django's tasks interface with the database backend, so no
# broker is needed. A scheduler runs `manage.py db_worker` (or the one-shot commands documented in the README).
TASKS = {"default": {"BACKEND": os.environ.get("KOPDES_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "kopdes@localhost")
# The site's address, for links in notification emails (e.g. https://kopdes.paserkab.go.id); empty: paths only.
KOPDES_BASE_URL = os.environ.get("KOPDES_BASE_URL", "")

# Headers. The Content-Security-Policy holds in every mode, so development and the browser tests see
# what production sees: no inline script, no inline style, nothing from another origin (but the optional tile server).
_SELF, _NONE = "'self'", "'none'"
_TILE_ORIGIN = "/".join(KOPDES_MAP_TILE_URL.split("/")[:3]) if "://" in KOPDES_MAP_TILE_URL else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        # data: for Bootstrap's own icons (select arrows, check marks) drawn as data-URI SVG in its CSS
        "img-src": [_SELF, "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "connect-src": [_SELF],
        "font-src": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Browser features no page of Kopdes uses are switched off for every page (kopdes.core.middleware). The location is
# Kopdes's own only: a building step's form asks for the phone's location to send with its photos (the browser asks
# the user first); no embedded page may.
PERMISSIONS_POLICY = os.environ.get(
    "KOPDES_PERMISSIONS_POLICY",
    "camera=(), microphone=(), geolocation=(self), payment=(), usb=(), serial=(), midi=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()",
)

if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("KOPDES_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("KOPDES_SSL_REDIRECT", True)
    # e.g. the load balancer's plain-HTTP health check: KOPDES_SSL_REDIRECT_EXEMPT="^masuk/$"
    SECURE_REDIRECT_EXEMPT = env_list("KOPDES_SSL_REDIRECT_EXEMPT")
    SECURE_HSTS_SECONDS = int(os.environ.get("KOPDES_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KOPDES_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("KOPDES_HSTS_PRELOAD", True)
    # Behind nginx or a balancer that terminates TLS and overwrites X-Forwarded-Proto (never trust it otherwise).
    if env_bool("KOPDES_BEHIND_TLS_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KOPDES_LOG_LEVEL", "WARNING")},
}
