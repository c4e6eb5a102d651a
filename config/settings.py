"""Settings, all from the environment; with nothing set they give the embedded setup.

Embedded default (a laptop with no services): SQLite file, tasks run in-process,
local-memory cache, mail printed to the console when DEBUG is on. Production sets
DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and EMAIL_URL (see .env.example).
"""

import datetime as dt
from email.utils import parseaddr
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file beside manage.py (`make run` writes one for development; see .env.example), or the
# file ENV_FILE names; ENV_FILE="" reads none (the test settings). The environment wins over it.
env_file = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
if env_file and Path(env_file).exists():
    env.read_env(env_file)

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 - refused when DEBUG is off
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random string of 32+ characters when DEBUG is off (or set DEBUG=true for local development)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "nested_admin",
    "parler",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "health_check",
    "campaigns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (Django's order): the language a supporter chose
    # (the django_language cookie, set by the switcher) wins over Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "campaigns.middleware.IntakeLimitMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

# Organisers' logins: django-axes locks an address, and an account, after AXES_FAILURE_LIMIT wrong
# passwords for AXES_COOLOFF_MINUTES (answered 429); a right password in between does not unlock it.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on stderr: commands keep their one readable line
AXES_IPWARE_PROXY_COUNT = env.int("API_NUM_PROXIES", default=0)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: opening one to PostgreSQL costs more than a whole simple request. Each
# web or worker process keeps its connection this many seconds (0: a new one per request), and
# checks it is alive before reusing it, so a database restart costs one retry-free reconnect.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is both the Celery broker and the cache when REDIS_URL is set. Without it,
# tasks run in-process (eager) so a laptop needs no service at all.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only when it has finished, and re-queued if its pool process dies
# (a whole worker killed: see the visibility timeout below); tasks guard on row state, so a
# redelivery is harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# One SMTP conversation takes seconds; a task past the soft limit is stuck, not slow. The soft
# limit raises inside the send, which then counts as a transient failure and is retried; the
# hard limit kills the process, and the row it held is taken back after its sending lease.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("TASK_TIME_LIMIT", default=90)
# Redis hands an unacknowledged message to another worker after the visibility timeout.
# With acks_late a message stays unacknowledged while its task runs (at most
# TASK_TIME_LIMIT) and, for a countdown, from the moment a worker reserves it until it is
# due (at most DELIVERY_MAX_COUNTDOWN_SECONDS, checked below). The timeout must exceed
# both, or a task still running or waiting would run twice: one hour does, with room.
# The price: the message of a worker killed with SIGKILL comes back only an hour later.
# That is why recovery does not rely on it: the outbox sweep re-publishes deliveries still
# queued, or stuck sending past their lease, within a minute or two; the late copy then
# finds the row sent and does nothing.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    # A publish to a dead Redis fails in seconds (and the sweep re-publishes) instead of
    # hanging the web request that committed the row.
    "socket_connect_timeout": 5,
    "socket_timeout": 10,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A send in progress when Redis goes away finishes and records its outcome in the database;
# cancelling it could cut an SMTP conversation after DATA and send the message twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TIMEZONE = "UTC"
# Beat marks each run in the cache (/healthz checks it) and wakes at least every 30 s to do so.
CELERY_BEAT_SCHEDULER = "config.celery_app:MarkingScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 30

# Delivery of outbound mail (campaigns.services.delivery). Every message is a Delivery row.
# At most this many messages to one address in any minute (0: no limit), scheduled evenly
# (one every 60/N s), so a burst of supporters' protests does not get the platform blocked
# by the target's mail server: queued mail drains at that pace.
DELIVERY_MAX_PER_MINUTE_PER_ADDRESS = env.int("DELIVERY_MAX_PER_MINUTE_PER_ADDRESS", default=6)
# Transient failures (SMTP 4xx, refused connections, timeouts) are retried with
# exponential backoff and jitter: 60 s, 120 s, 240 s ... capped, at most this many attempts.
DELIVERY_MAX_ATTEMPTS = env.int("DELIVERY_MAX_ATTEMPTS", default=6)
DELIVERY_RETRY_BASE_SECONDS = env.float("DELIVERY_RETRY_BASE_SECONDS", default=60)
DELIVERY_RETRY_MAX_SECONDS = env.float("DELIVERY_RETRY_MAX_SECONDS", default=1800)
# The outbox sweep (celery beat) re-publishes deliveries still queued this long after they
# were due: a crash between commit and publish, or a Redis restart, loses nothing.
DELIVERY_SWEEP_SECONDS = env.float("DELIVERY_SWEEP_SECONDS", default=60)
DELIVERY_SWEEP_GRACE_SECONDS = env.float("DELIVERY_SWEEP_GRACE_SECONDS", default=120)
# A row "sending" for longer than this lost its worker mid-send and is queued again. It must
# exceed the task's hard time limit, or a slow but live send could be claimed twice.
DELIVERY_SENDING_LEASE_SECONDS = env.float("DELIVERY_SENDING_LEASE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 30)
# A worker keeps its SMTP connection open between messages, closing it after this many idle seconds.
DELIVERY_CONNECTION_IDLE_SECONDS = env.float("DELIVERY_CONNECTION_IDLE_SECONDS", default=30)
# Longest countdown a task is published with; mail due later is re-published as it nears.
DELIVERY_MAX_COUNTDOWN_SECONDS = env.float("DELIVERY_MAX_COUNTDOWN_SECONDS", default=600)
if DELIVERY_SENDING_LEASE_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("DELIVERY_SENDING_LEASE_SECONDS must exceed TASK_TIME_LIMIT.")
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= DELIVERY_MAX_COUNTDOWN_SECONDS + CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("DELIVERY_MAX_COUNTDOWN_SECONDS + TASK_TIME_LIMIT must stay below the visibility timeout.")

# Scheduled mail (celery beat; the schedule is in config/celery_app.py).
REMINDER_DAYS_BEFORE_DEADLINE = env.int("REMINDER_DAYS_BEFORE_DEADLINE", default=3)
ESCALATION_AFTER_DAYS = env.int("ESCALATION_AFTER_DAYS", default=7)
DIGEST_HOUR_UTC = env.int("DIGEST_HOUR_UTC", default=7)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Solidarity action tracker <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
EMAIL_MESSAGE_ID_DOMAIN = env.str("EMAIL_MESSAGE_ID_DOMAIN", default="solidarity.localhost")

# Faxes go out as e-mail to an e-mail-to-fax gateway (the letter as a PDF attachment), through the
# same outbox as e-mail. FAX_ADDRESS names the gateway's mailbox for a number: {e164} is +73102768247,
# {digits} is 73102768247. Both unset: the platform sends no fax (supporters print and fax it themselves).
FAX_GATEWAY = env.str("FAX_GATEWAY", default="")
FAX_ADDRESS = env.str("FAX_ADDRESS", default="")
FAX_FROM_EMAIL = env.str("FAX_FROM_EMAIL", default=DEFAULT_FROM_EMAIL)
if bool(FAX_GATEWAY) != bool(FAX_ADDRESS):
    raise ImproperlyConfigured("Set both FAX_GATEWAY (smtp://...) and FAX_ADDRESS ({e164}@fax.example), or neither.")
if FAX_ADDRESS and "{e164}" not in FAX_ADDRESS and "{digits}" not in FAX_ADDRESS:
    raise ImproperlyConfigured("FAX_ADDRESS must contain {e164} or {digits}, e.g. {digits}@fax.example.")

# /healthz: unhealthy when due mail has waited longer than this, or beat has not run for this long.
HEALTH_MAX_QUEUE_WAIT_SECONDS = env.float("HEALTH_MAX_QUEUE_WAIT_SECONDS", default=900)
HEALTH_BEAT_MAX_AGE_SECONDS = env.float("HEALTH_BEAT_MAX_AGE_SECONDS", default=300)

# Appeal import (manage.py import_appeal, /organise/import/): the largest file or pasted text read.
APPEAL_MAX_BYTES = env.int("APPEAL_MAX_BYTES", default=5 * 1024 * 1024)
# Pasted text arrives as a form field: let it be as large as an uploaded file may be.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, APPEAL_MAX_BYTES + 65_536)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# The interface's languages. Pages keep one address in every language (no /es/ prefix), so a link a
# supporter shares opens in the language of whoever follows it: LocaleMiddleware reads the browser's
# Accept-Language, and the language switcher's choice (a cookie, set by /i18n/setlang/) beats it.
# Catalogues: campaigns/locale/<code>/LC_MESSAGES/django.po (`make messages`; compiled by `make install`).
# A right-to-left language (ar, fa, he, ur) needs only its entry here and its catalogue: pages take
# dir="rtl" from Django's LANGUAGES_BIDI and the stylesheet uses logical properties.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("tr", "Türkçe"),
]
LOCALE_PATHS = [BASE_DIR / "campaigns" / "locale"]
# Dates as each language writes them (templates use DATE_FORMAT, YEAR_MONTH_FORMAT, MONTH_DAY_FORMAT):
# Django's formats, with English in the British order (config/formats/en).
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # a remembered choice lasts a year
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
# Campaign content in several languages (django-parler): a campaign reads in the supporter's language where a
# translation exists, else in its own original language (campaigns.models.OriginalLanguageFallback), never
# in a site-wide default. No translation cache: a translation saved is read back at once, in every process.
PARLER_ENABLE_CACHING = False
PARLER_SHOW_EXCLUDED_LANGUAGE_TABS = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "config.static_storage.StaticFilesStorage"
    },
}
# Files collectstatic has not gathered (yet) are served from the apps rather than not at all.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "media/"

if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The API (/api/): JSON only, token authentication for organisers, anonymous reads of published campaigns.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "campaigns.api.authentication.OSDITokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend", "rest_framework.filters.OrderingFilter"],
    "DEFAULT_PAGINATION_CLASS": "campaigns.api.pagination.PagePagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "campaigns.api.errors.exception_handler",
    # Reverse proxies in front of the app: the client's address is read that far back in X-Forwarded-For.
    # 0 trusts only REMOTE_ADDR, so a client cannot dodge the rate limit by sending its own header.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Graceful overload (campaigns/middleware.py): at most this many actions recorded at once per process
# (0: no limit); the rest are answered 503 at once with Retry-After. It sheds with a threaded server.
INTAKE_MAX_CONCURRENT = env.int("INTAKE_MAX_CONCURRENT", default=4)
INTAKE_RETRY_AFTER_SECONDS = env.int("INTAKE_RETRY_AFTER_SECONDS", default=2)
# Supporters may record actions without an account; this bounds how often one address may (cache-backed).
API_SUPPORTER_ACTIONS_RATE = env.str("API_SUPPORTER_ACTIONS_RATE", default="10/hour")
# Abuse limits shared by the forms and the API (Redis when REDIS_URL is set, else the database): actions
# one address may record without an account (API_SUPPORTER_ACTIONS_RATE), and everyone on one campaign.
ACTIONS_RATE_PER_CAMPAIGN = env.str("ACTIONS_RATE_PER_CAMPAIGN", default="600/minute")
RATE_LIMIT_PREFIX = ""
# The public forms: a bot fills them faster than this, or fills the hidden honeypot field.
FORM_MIN_FILL_SECONDS = env.int("FORM_MIN_FILL_SECONDS", default=3)
ACTION_TEXT_MAX_CHARS = env.int("ACTION_TEXT_MAX_CHARS", default=20_000)
# How long a POST's Idempotency-Key is remembered (seconds); a retry within it records nothing twice.
API_IDEMPOTENCY_KEY_TTL = env.int("API_IDEMPOTENCY_KEY_TTL", default=24 * 3600)

SPECTACULAR_SETTINGS = {
    "TITLE": "Solidarity action tracker API",
    "DESCRIPTION": (
        "Read campaigns (appeals) as campaign documents and record the actions that answer them. "
        "Anonymous clients read published campaigns; organisers authenticate with `Authorization: Token <key>` "
        "(or `OSDI-API-Token: <key>`). A supporter may POST an action without an account. "
        "An OSDI-compatible view is under /api/osdi/v1/ (see docs/osdi.md)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/(v1|osdi/v1)",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CampaignStatusEnum": "campaigns.models.Campaign.Status",
        "ActionKindEnum": "campaigns.models.Action.Kind",
        "ActionViaEnum": "campaigns.models.Action.Via",
        "TargetKindEnum": "campaigns.models.Target.Kind",
        "TargetRoleEnum": "campaigns.models.Target.Role",
        "ChannelKindEnum": "campaigns.models.Channel.Kind",
        "DemandStatusEnum": "campaigns.models.Demand.Status",
        "PersonStatusEnum": "campaigns.models.PersonStatus",
        "ResponseClassificationEnum": "campaigns.models.Response.Classification",
        "OrganisationKindEnum": "campaigns.models.Organisation.Kind",
        "OrganisationRoleEnum": "campaigns.models.CampaignOrganisation.Role",
        "CountryEnum": "campaigns.api.serializers.COUNTRY_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "campaigns.api.schema.postprocess",
    ],
}

# Logs go to stderr (the process manager keeps them). LOG_FORMAT=json writes one JSON object per
# line (python-json-logger) for a log collector; workers then log through it too, not Celery's format.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

# Who hears of server errors by e-mail (Django mails them the traceback when DEBUG is off):
# ADMINS=Name <address>,other@example.org
ADMINS = [parseaddr(admin) for admin in env.list("ADMINS", default=[])]
if any(not address or "@" not in address for _, address in ADMINS):
    raise ImproperlyConfigured("ADMINS must be a comma-separated list of e-mail addresses (optionally 'Name <address>').")

# Error reporting to Sentry (or a Sentry-compatible service such as GlitchTip), only when SENTRY_DSN
# is set: the SDK is not even imported otherwise. Supporters' details are never sent (no PII).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )
