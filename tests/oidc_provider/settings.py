"""Settings of the test identity provider (never Lantern's): everything it keeps lives in IDP_DATA_DIR,
a temporary directory the fixture makes, with the RSA key it signs ID tokens with."""

import os
from pathlib import Path

DATA_DIR = Path(os.environ["IDP_DATA_DIR"])
NAME = os.environ.get("IDP_NAME", "idp")

SECRET_KEY = f"test-identity-provider-{NAME}-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "tests.oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.oidc_provider.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "idp.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Cookies are kept per host, not per port: on 127.0.0.1 beside Lantern (and the other provider)
# each needs names of its own.
SESSION_COOKIE_NAME = f"{NAME}_sessionid"
CSRF_COOKIE_NAME = f"{NAME}_csrftoken"
LOGIN_URL = "/login/"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (DATA_DIR / "signing-key.pem").read_text(),
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validators.ClaimsValidator",
    "SCOPES": {"openid": "OpenID Connect", "email": "Email address", "profile": "Name"},
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    # pytest-django's live server is at http://localhost:<any port>.
    "ALLOW_LOCALHOST_LOOPBACK": True,
}
