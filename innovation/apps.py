from django.apps import AppConfig


class InnovationConfig(AppConfig):
    name = "innovation"

    def ready(self):
        from accounts import notices
        from innovation.models import NoticeKind

        for value, label in NoticeKind.choices:
            notices.kind_register(value, label)
