"""Samen Veilig settings: one module, configured only through environment variables.

Every variable is documented once, with its default, in docs/configuration.md. With none set, the data lives in
SQLite under SAMENVEILIG_DATA_DIR and nothing else needs to run.
"""

import base64
import hashlib
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# --- Where things live -------------------------------------------------------------------------------------------
DATA_DIR = Path(env("SAMENVEILIG_DATA_DIR", str(Path.cwd() / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
NODE_MODULES_DIR = Path(env("SAMENVEILIG_NODE_MODULES", str(PROJECT_DIR / "node_modules"))).resolve()


def _secret_from_file(name: str, nbytes: int = 50, generate: Any = None) -> str:
    """Read a generated secret from the data directory, creating it (mode 0600) on first run."""
    path = DATA_DIR / name
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(generate() if generate else secrets.token_urlsafe(nbytes))
    return path.read_text().strip()


SECRET_KEY = env("SAMENVEILIG_SECRET_KEY") or _secret_from_file("secret_key")


def _fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


# Encrypts the link between an anonymous report and its reporter (reports.identity): a Fernet key.
REPORTER_KEY = env("SAMENVEILIG_REPORTER_KEY") or _secret_from_file("reporter_key", generate=_fernet_key)
# Encrypts partners' webhook signing secrets in the database (core.sealing): Fernet keys, the first seals.
WEBHOOK_KEY = env("SAMENVEILIG_WEBHOOK_KEY") or _secret_from_file("webhook_key", generate=_fernet_key)
DEBUG = env_bool("SAMENVEILIG_DEBUG")
DEMO_MODE = env_bool("SAMENVEILIG_DEMO")
HTTPS = env_bool("SAMENVEILIG_HTTPS")
ALLOWED_HOSTS = env_list("SAMENVEILIG_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("SAMENVEILIG_CSRF_TRUSTED_ORIGINS")

# --- Applications -------------------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "samenveilig.core",
    "samenveilig.accounts",
    "samenveilig.areas",
    "samenveilig.communities",
    "samenveilig.reports",
    "samenveilig.notifications",
    "samenveilig.integrations.push",
    "samenveilig.integrations.webhook",
    "samenveilig.moderation",
    "samenveilig.conversation",
    "samenveilig.live",
    "samenveilig.alerts",
    "samenveilig.start",
    "samenveilig.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so that answers made by later middleware (a disallowed host, a slash redirect) get the headers too.
    "samenveilig.core.middleware.ResponseHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "samenveilig.live.middleware.LiveCspMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "samenveilig.accounts.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "samenveilig.urls"
WSGI_APPLICATION = "samenveilig.wsgi.application"
ASGI_APPLICATION = "samenveilig.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "samenveilig.core.context_processors.platform",
                "samenveilig.notifications.context_processors.nav",
                "samenveilig.live.context_processors.live",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------------------------------
# No DATABASE_URL: SQLite in WAL mode under the data directory. One writer process is the rule on SQLite (see
# docs/serving.md); IMMEDIATE transactions and a busy timeout keep concurrent writers from failing.
SQLITE_PATH = DATA_DIR / "samenveilig.sqlite3"
if env("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL"), conn_max_age=600, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Keep each thread's connection: opening one (and running the PRAGMAs) cost ~1.9 ms per request,
            # two thirds of a whole /health request (docs/serving.md).
            "CONN_MAX_AGE": 600,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and rate limits ------------------------------------------------------------------------------------------
if env("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "samenveilig"}}

# --- Background work (django-tasks, database backend: the task row commits with the change that needs it) ---------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Accounts -----------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "start:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "start:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "samenveilig.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Samen Veilig] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Samen Veilig"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or DEMO_MODE
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"

# --- E-mail: SMTP in production (SAMENVEILIG_SMTP_URL), otherwise files under the data directory -------------------
DEFAULT_FROM_EMAIL = env("SAMENVEILIG_FROM_EMAIL", "Samen Veilig <noreply@samenveilig.localhost>")
if env("SAMENVEILIG_SMTP_URL"):
    _smtp = urlsplit(env("SAMENVEILIG_SMTP_URL"))
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _smtp.hostname or "localhost"
    EMAIL_PORT = _smtp.port or 587
    EMAIL_HOST_USER = _smtp.username or ""
    EMAIL_HOST_PASSWORD = _smtp.password or ""
    EMAIL_USE_TLS = _smtp.scheme == "smtp+starttls" or EMAIL_PORT == 587
    EMAIL_USE_SSL = _smtp.scheme == "smtps"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# --- Internationalisation: Dutch first ----------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads -------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("SAMENVEILIG_STATIC_ROOT", str(DATA_DIR / "static"))).resolve()
# Front-end libraries come from npm at install time (package.json); only the files we serve are exposed.
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",  # the platform's own CSS and JS (apps keep theirs in <app>/static/<app>/)
    ("vendor/htmx", NODE_MODULES_DIR / "htmx.org" / "dist"),
    ("vendor/htmx-ext-sse", NODE_MODULES_DIR / "htmx-ext-sse" / "dist"),
    ("vendor/leaflet", NODE_MODULES_DIR / "leaflet" / "dist"),
    ("vendor/utrecht", NODE_MODULES_DIR / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/tokens", NODE_MODULES_DIR / "@nl-design-system-unstable" / "voorbeeld-design-tokens" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = DEBUG

# --- Security headers (every response) ------------------------------------------------------------------------------
MAP_TILE_URL = env("SAMENVEILIG_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = env("SAMENVEILIG_MAP_ATTRIBUTION", "© OpenStreetMap")
_tiles = urlsplit(MAP_TILE_URL.replace("{s}", "*"))
_tile_origin = f"{_tiles.scheme}://{_tiles.netloc}" if _tiles.netloc else SELF
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", _tile_origin],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from a meta tag, never from the cookie; kept default for forms
LANGUAGE_COOKIE_SAMESITE = "Lax"
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SAMENVEILIG_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SAMENVEILIG_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# --- Logging: plain lines to stderr -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": env("SAMENVEILIG_LOG_LEVEL", "WARNING")},
    "loggers": {"samenveilig": {"level": env("SAMENVEILIG_LOG_LEVEL", "INFO"), "propagate": True}},
}

# --- Product settings -----------------------------------------------------------------------------------------------
API_VERSION = "1.0.0"
# Point look-ups: a report or home point may lie this far outside a community's area and still belong to it.
COMMUNITY_AREA_MARGIN_M = 1000
# Reports: photos per report and their size (before they are re-encoded without metadata).
# Extra Dutch word lists and patterns for the text checks (samenveilig/moderation/data/nl/README.md).
MODERATION_DIR = env("SAMENVEILIG_MODERATION_DIR")
# Delivery on the outside channels (docs/delivery.md).
SMS_URL = env("SAMENVEILIG_SMS_URL", "")
SMS_KEY = env("SAMENVEILIG_SMS_KEY", "")
DELIVERY_LEASE_S = float(env("SAMENVEILIG_DELIVERY_LEASE_S", "120"))  # longer than any transport's timeout
SITE_URL = env("SAMENVEILIG_SITE_URL", "").rstrip("/")  # the absolute links in e-mail and SMS
# Push subscriptions and webhook URLs must be public https addresses (integrations.endpoints); 1 lifts that for tests.
ALLOW_PRIVATE_ENDPOINTS = env_bool("SAMENVEILIG_ALLOW_PRIVATE_ENDPOINTS")
# --- push (integrations.push) ---
# Web Push (docs/delivery.md). The VAPID key (RFC 8292) signs every push; browsers subscribed with its public half, so
# it is generated on first run and kept in the data directory (a new key would silence every subscribed device).


def _new_vapid_key() -> str:
    """A new P-256 private key as the base64url of its 32-byte scalar (what py_vapid's Vapid.from_string reads)."""
    from cryptography.hazmat.primitives.asymmetric import ec

    scalar = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    return base64.urlsafe_b64encode(scalar.to_bytes(32, "big")).rstrip(b"=").decode()


PUSH_VAPID_PRIVATE_KEY = env("SAMENVEILIG_VAPID_PRIVATE_KEY") or _secret_from_file(
    "vapid_private_key", generate=_new_vapid_key
)
# Who push services contact about our traffic (the JWT `sub`): a mailto: or https: URL.
PUSH_VAPID_SUBJECT = env("SAMENVEILIG_VAPID_SUBJECT") or (
    SITE_URL if SITE_URL.startswith("https://") else "mailto:" + DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
)
# How long a push service keeps a message for a device that is offline (seconds; the inbox keeps it anyway).
PUSH_TTL_S = int(env("SAMENVEILIG_PUSH_TTL_S", "86400"))
# --- webhooks (integrations.webhook) ---
# --- the live channel (samenveilig.live) ---
# The live process (`samenveilig live`, started by `serve` on the port after its own) serves /live/ with server-sent
# events. LIVE_URL is where browsers find it: a path ("/live/") when a proxy routes it on the site's own origin, an
# absolute URL, or empty for "the page's host on LIVE_PORT". LIVE_BROKER carries events to it: "redis" (REDIS_URL, any
# number of live processes), "http" (a POST to the one live process on LIVE_PORT), "local" (this process only).
LIVE_PORT = int(env("SAMENVEILIG_LIVE_PORT", "0"))
LIVE_URL = env("SAMENVEILIG_LIVE_URL", "")
LIVE_BROKER = env("SAMENVEILIG_LIVE_BROKER") or ("redis" if env("REDIS_URL") else "http" if LIVE_PORT else "local")
LIVE_PUBLISH_TOKEN = env("SAMENVEILIG_LIVE_TOKEN") or _secret_from_file("live_token", nbytes=32)
LIVE_KEEPALIVE_S = float(env("SAMENVEILIG_LIVE_KEEPALIVE_S", "25"))
REDIS_URL = env("REDIS_URL", "")
# The Redis channel: one per installation (the database it serves), so installations sharing a Redis never mix events.
LIVE_CHANNEL = (
    env("SAMENVEILIG_LIVE_CHANNEL")
    or "samenveilig:live:"
    + hashlib.sha256(f"{DATABASES['default'].get('HOST', '')}/{DATABASES['default']['NAME']}".encode()).hexdigest()[:12]
)
REPORT_MAX_PHOTOS = int(env("SAMENVEILIG_REPORT_MAX_PHOTOS", "5"))

# Alerts (docs/alerts.md): a coordinator's alerts per community per 24 hours; how long an answer's location and
# the answer itself are kept after the alert closed.
ALERT_COORDINATOR_LIMIT = int(env("SAMENVEILIG_ALERT_COORDINATOR_LIMIT", "3"))
ALERT_LOCATION_KEEP_DAYS = int(env("SAMENVEILIG_ALERT_LOCATION_KEEP_DAYS", "7"))
ALERT_ANSWER_KEEP_DAYS = int(env("SAMENVEILIG_ALERT_ANSWER_KEEP_DAYS", "180"))
REPORT_PHOTO_MAX_BYTES = int(float(env("SAMENVEILIG_REPORT_PHOTO_MAX_MB", "10")) * 1_000_000)
# Conversation: photos per post (each at most REPORT_PHOTO_MAX_BYTES, the limit of every photo on the platform).
POST_MAX_PHOTOS = int(env("SAMENVEILIG_POST_MAX_PHOTOS", "4"))
# A one-time link that forwards a report to an outside party stays usable this many days.
REPORT_FORWARD_DAYS = int(env("SAMENVEILIG_REPORT_FORWARD_DAYS", "14"))
INVITE_DEFAULT_DAYS = int(env("SAMENVEILIG_INVITE_DAYS", "30"))
SITE_NAME = env("SAMENVEILIG_SITE_NAME", "Samen Veilig")
