from django.apps import AppConfig


class InnovationConfig(AppConfig):
    name = "innovation"

    def ready(self):
        from accounts import notices
        from innovation.models import NOTICE_DEFAULTS, NoticeKind

        for value, label in NoticeKind.choices:
            notices.kind_register(value, label, default=NOTICE_DEFAULTS.get(value, notices.Frequency.IMMEDIATELY))
