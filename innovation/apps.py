from django.apps import AppConfig


class InnovationConfig(AppConfig):
    name = "innovation"
