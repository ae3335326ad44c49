from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = "Lantern"

    def ready(self):
        from accounts import access_cache
        from config.context_processors import NAVIGATION_PERMISSIONS

        # Worked out once per person's access version rather than asked on every page.
        access_cache.permissions_keep(NAVIGATION_PERMISSIONS)
