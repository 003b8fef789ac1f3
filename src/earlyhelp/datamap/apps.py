from django.apps import AppConfig


class DatamapConfig(AppConfig):
    name = "earlyhelp.datamap"
    label = "datamap"
    verbose_name = "Data map and privacy notice"

    def ready(self) -> None:
        # Registers the declarations of the tables earlyhelp does not define (sessions,
        # lockout, second factors, the database cache) for the data-map check and register.
        from earlyhelp.datamap import external  # noqa: F401
