from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "earlyhelp.core"
    label = "core"
    verbose_name = "Core mechanisms"

    def ready(self) -> None:
        # The data-map check, and the SQLite file kept private.
        from django.db.models.signals import post_migrate

        from earlyhelp.core import checks, database  # noqa: F401
        from earlyhelp.core.database_roles import grant_after_migrate

        # Sent once per app after every migrate; granting once, after core's, is enough.
        post_migrate.connect(grant_after_migrate, sender=self)
