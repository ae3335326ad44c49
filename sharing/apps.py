from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"

    def ready(self):
        from innovation import services as innovation_services
        from sharing import notices, services

        notices.register()
        innovation_services.evaluation_follow_up_register(services.lessons_follow_evaluation)
