from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "samverka.core"
    label = "core"

    def ready(self):
        from .metrics import connect_task_signals

        connect_task_signals()
