from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "earlyhelp.core"
    label = "core"
    verbose_name = "Core mechanisms"

    def ready(self) -> None:
        from earlyhelp.core import checks  # noqa: F401  (registers the data-map check)
