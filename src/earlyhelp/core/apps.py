from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "earlyhelp.core"
    label = "core"
    verbose_name = "Core mechanisms"

    def ready(self) -> None:
        # The data-map check, and the SQLite file kept private.
        from earlyhelp.core import checks, database  # noqa: F401
