from django.apps import AppConfig


class OIDCProviderConfig(AppConfig):
    name = "tests.oidc_provider"
    label = "test_oidc_provider"
    default_auto_field = "django.db.models.BigAutoField"
