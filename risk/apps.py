from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "risk"

    def ready(self):
        from accounts import notices
        from risk.models import NoticeKind

        for value, label in NoticeKind.choices:
            notices.kind_register(value, label)
