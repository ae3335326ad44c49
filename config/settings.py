"""Lantern's settings: one module, everything read from the environment.

With no DATABASE_URL and no REDIS_URL, Lantern runs on SQLite and runs Celery tasks
eagerly, which is what `make run` and `make test` use on a fresh machine. Production
secrets have no default: with DEBUG off, Lantern refuses to start without a real
SECRET_KEY.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# A key that is only ever used on a developer's machine; refused with DEBUG off.
DEVELOPMENT_SECRET_KEY = "django-insecure-lantern-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a random value of at least 50 characters when DEBUG is off "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "django_filters",
    "csp",
    "rest_framework",
    # Only so that accounts' migration 0007 can move the old plain-text keys into hashed
    # ApiTokens and empty this table; the API no longer reads it (accounts.api_tokens).
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "jobs",
    "portfolio",
    "innovation",
    "risk",
    "sharing",
    "reports",
    "config",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, reading the person's user row from the cache when Redis is configured
    # (PEOPLE_IN_CACHE below; accounts.access_cache).
    "accounts.middleware.AuthenticationMiddleware",
    # The language of the page: the person's choice, else the language cookie or the browser's.
    "accounts.middleware.LanguageMiddleware",
    # Gives request.user is_verified(): whether the session has given a two-factor code
    # (django-otp's middleware, reading the person's devices from the cache).
    "accounts.middleware.OTPMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.SessionOwnerMiddleware",
    "accounts.middleware.CurrentOrganisationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside the header middleware above, so that its 405s carry the security headers too.
    "accounts.middleware.AllowedMethodsMiddleware",
    # Before any view (and the two-factor middleware's redirects) reads the path or query.
    "config.middleware.NulCharacterMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After the OTP and organisation middleware, whose answers it needs, and inside the
    # header middleware, so that its redirects carry the security headers too.
    "accounts.middleware.TwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the result of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Django's widget templates, except a select's options, which are written out directly (see the module).
FORM_RENDERER = "accounts.renderers.FormRenderer"
# A filter left empty shows everything: its empty choice says so (accounts.renderers for forms).
FILTERS_EMPTY_CHOICE_LABEL = "All"
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
                "config.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The library's order index carries the columns of who may read a lesson (INCLUDE) on PostgreSQL;
# SQLite makes the index without them, which is all `make run` needs: no warning on every migrate.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so that a locked-out person is refused before their password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # No NumericPasswordValidator: it is a composition rule, and ASVS 6.2.5 asks that
    # passwords of any composition be accepted; short or common ones are refused above.
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:signed-out"
# Two-factor sign-in (django-otp): the name authenticator apps show beside the code.
OTP_TOTP_ISSUER = "Lantern"
# Single sign-on (accounts.sso). The key that encrypts identity providers' client secrets: a Fernet
# key (`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`);
# unset, one is derived from SECRET_KEY with HKDF, so changing SECRET_KEY means entering them again.
LANTERN_FIELD_KEY = env.str("LANTERN_FIELD_KEY", default="")
# Whether an identity provider may be on this machine over plain HTTP (development and the tests only).
SSO_ALLOW_LOOPBACK = env.bool("SSO_ALLOW_LOOPBACK", default=DEBUG)
# A reset link is good for an hour, not Django's three days.
PASSWORD_RESET_TIMEOUT = 60 * 60
# An invitation link is good for a week; it uses the same one-time token mechanism.
INVITATION_TIMEOUT_DAYS = 7

# A campaign's public page (innovation/views/public.py): spam is kept out without tracking anyone.
# A form sent sooner than this after it was shown is a robot's; one shown longer ago is stale.
PUBLIC_IDEA_MIN_SECONDS = env.int("PUBLIC_IDEA_MIN_SECONDS", default=5)
PUBLIC_IDEA_MAX_SECONDS = 24 * 60 * 60
# Ideas accepted from one address (IP) an hour, and from one email address a day.
PUBLIC_IDEAS_PER_ADDRESS_PER_HOUR = env.int("PUBLIC_IDEAS_PER_ADDRESS_PER_HOUR", default=10)
PUBLIC_IDEAS_PER_EMAIL_PER_DAY = env.int("PUBLIC_IDEAS_PER_EMAIL_PER_DAY", default=3)
# An idea whose giver has not confirmed their email address within this is deleted.
PUBLIC_IDEA_CONFIRM_DAYS = 7

# Sessions live in the database so that deactivating someone can end them, with a copy in
# Redis when it is configured (accounts.sessions; set below, with CACHES), so that a request
# reads its session without a query.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Eight hours of inactivity signs a person out; twelve hours after signing in they must
# sign in again whatever they have been doing (see accounts.middleware). A session is written
# only when it changes: accounts.middleware notes when it was last seen at most once a minute,
# and checks the idle limit against that, so that most requests write nothing.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ABSOLUTE_LIMIT = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: ten failures for the same email from the same address lock that pair out
# for fifteen minutes (Cyber Essentials asks for no more than ten guesses), rather than
# the package's default of three failures and a permanent lock.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Sign-in ignores the case of the email address, so the attempt count must too.
AXES_USERNAME_CALLABLE = "accounts.throttling.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind a proxy the client's address comes from X-Forwarded-For only when the operator
# says how many proxies to trust; otherwise a forged header could reset the counter.
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

LANGUAGE_CODE = "en-gb"
# English and Welsh (issue 20): the Welsh Language Standards ask that Welsh be offered no less
# favourably. Lantern's own strings are in locale/cy/LC_MESSAGES/django.po, compiled by
# `make install` (scripts/compile_messages.py).
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language switch's cookie (accounts.language_views): a year, and never read by JavaScript.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Dates as GOV.UK writes them: 27 November 2026.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y \\a\\t g:ia"
SHORT_DATE_FORMAT = "j M Y"
# The locale's formats win over the settings above, so Lantern's en_GB formats repeat them.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # GOV.UK Frontend's JavaScript, fonts and images, installed from npm (never committed).
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    # Chart.js for the gap report's charts (static/js/portfolio-charts.js loads it).
    ("chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env.bool("STATIC_MANIFEST", default=True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "media"
# In development static files come straight from the finders, looked up when asked for. Both
# settings follow DEBUG as read here: the test runner turns settings.DEBUG off, and whitenoise
# would then scan every static file each time a test client starts (over half the test time).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Django's Redis cache, keeping its Redis client rather than making one each operation.
    CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "accounts.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each person's user row kept in the cache with what they may reach, so that a signed-in page
# reads no table (accounts.access_cache): only with Redis, which every process shares and so
# hears of a change made in another; a local-memory cache is each process's own.
PEOPLE_IN_CACHE = env.bool("PEOPLE_IN_CACHE", default=bool(REDIS_URL))

# Celery: Redis is the broker when REDIS_URL is set; otherwise tasks run eagerly, in process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {}
# Nightly: every organisation's gap report, after the day's imports (portfolio.tasks), as one GapReportJob.
CELERY_BEAT_SCHEDULE["portfolio-nightly-gap-reports"] = {
    "task": "portfolio.tasks.gap_reports_compute_all",
    "schedule": crontab(hour=2, minute=30),
}
# Every five minutes: background jobs of every kind (imports, gap reports, exports, committee packs)
# that Redis could not take are queued again (jobs.tasks, which keeps the task's first name; jobs.runner.JOB_KINDS).
CELERY_BEAT_SCHEDULE["portfolio-requeue-waiting-jobs"] = {
    "task": "portfolio.tasks.jobs_requeue",
    "schedule": crontab(minute="*/5"),
}
# Nightly 3.15am: the kept files of interrupted imports nobody tried again within a week are deleted.
CELERY_BEAT_SCHEDULE["portfolio-delete-interrupted-import-files"] = {
    "task": "portfolio.tasks.interrupted_import_files_delete",
    "schedule": crontab(hour=3, minute=15),
}
# Weekly, Monday 7am: each risk owner is emailed the reviews they have let fall overdue (risk.tasks).
CELERY_BEAT_SCHEDULE["risk-weekly-overdue-reviews"] = {
    "task": "risk.tasks.remind_overdue_reviews",
    "schedule": crontab(day_of_week="mon", hour=7, minute=0),
}
# Daily 6.30am: project owners are told about overdue milestones (innovation.tasks).
CELERY_BEAT_SCHEDULE["innovation-daily-overdue-milestones"] = {
    "task": "innovation.tasks.notify_overdue_milestones",
    "schedule": crontab(hour=6, minute=30),
}
# Daily 4.15am: ideas given on public campaign pages whose givers never confirmed their email
# address within a week are deleted (innovation.tasks).
CELERY_BEAT_SCHEDULE["innovation-expire-unconfirmed-public-ideas"] = {
    "task": "innovation.tasks.idea_submissions_expire",
    "schedule": crontab(hour=4, minute=15),
}
# The one digest of every app's notices (accounts.notices): daily at 7.15am and on Mondays at
# 7.30am, after the jobs above that write notices (milestones 6.30am, risk reviews Monday 7am),
# so that what they found goes out the same morning. New lessons in followed services are part
# of the weekly one (sharing/notices.py): there is no separate lesson digest.
CELERY_BEAT_SCHEDULE["notices-daily-digest"] = {
    "task": "accounts.tasks.digest_send",
    "schedule": crontab(hour=7, minute=15),
    "args": ("daily",),
}
CELERY_BEAT_SCHEDULE["notices-weekly-digest"] = {
    "task": "accounts.tasks.digest_send",
    "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    "args": ("weekly",),
}

# Nightly 3am: background exports' files are deleted a week after they were made (reports.tasks,
# which keeps the tasks' old registered names, config.tasks.*, so queued messages still resolve).
CELERY_BEAT_SCHEDULE["reports-expire-export-files"] = {
    "task": "config.tasks.export_files_expire",
    "schedule": crontab(hour=3, minute=0),
}
# Daily 6.15am: scheduled reports whose day of the month has come are emailed, once a month each (reports.tasks).
CELERY_BEAT_SCHEDULE["reports-send-scheduled-reports"] = {
    "task": "config.tasks.scheduled_reports_send_due",
    "schedule": crontab(hour=6, minute=15),
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Where links in emails point.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Lantern <lantern@localhost>")

# Security headers on every response.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
if not DEBUG:
    # The __Host- prefix pins the cookies to this host over HTTPS.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: nothing inline, nothing from elsewhere.
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

# The REST API (issue 7): deny by default, the same roles and tenancy as the pages (accounts.api),
# tokens for integrations and the browser's session (with its CSRF check) for people.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # An organisation's integration token (accounts.api_tokens), made on the tokens page.
        "accounts.api_authentication.IntegrationTokenAuthentication",
        # The browser's session, once its two-factor code is given (tokens are not affected).
        "accounts.api_authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        # A read-only integration token changes nothing (403).
        "accounts.api_authentication.TokenScope",
    ],
    "DEFAULT_FILTER_BACKENDS": ["accounts.api_filters.OrganisationFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("API_RATE", default="2000/hour")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # DRF's, with Django's English-only 404 text said in Welsh too (config.api_messages).
    "EXCEPTION_HANDLER": "config.api_messages.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lantern API",
    "DESCRIPTION": (
        "Read an organisation's service areas, indicators, measurements, gap report, ideas, projects, risks "
        "and lessons; log ideas and import measurements. Authenticate with `Authorization: Token <key>`; "
        "name the organisation with the `X-Lantern-Organisation` header (its id) if you belong to several."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI's files from the drf-spectacular-sidecar package, served from 'self' (CSP).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Likelihood and impact share one 1-5 scale: one enum in the schema, not four.
    "ENUM_NAME_OVERRIDES": {
        "RiskScaleEnum": "risk.models.SCALE_CHOICES",
        "ForecastVerdictEnum": "innovation.forecasts.VERDICTS",
    },
    # Every operation's 400, 401, 403 and 404 answers, documented (config/api_schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api_schema.add_error_responses",
    ],
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
