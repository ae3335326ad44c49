from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "risk"

    def ready(self):
        from accounts import notices
        from risk.models import NoticeKind

        for value, label in NoticeKind.choices:
            notices.kind_register(value, label)

        # The approval gate is innovation's, which may not import risk: risk tells it what a
        # decision means for the project's risks (acceptance recorded, risk of not innovating carried).
        from innovation import services as innovation_services
        from risk import services

        innovation_services.decision_follow_up_register(services.decision_follow_up)
