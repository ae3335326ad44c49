"""A real OpenID Connect provider for the tests: a tiny Django project of its own (django-oauth-toolkit's
provider), run by `fixtures.oidc_providers` in a subprocess on 127.0.0.1. Never in Lantern's INSTALLED_APPS:
its settings module is the only one that names it (tests/accounts/test_sso.py checks)."""
