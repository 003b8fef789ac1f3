from django.apps import AppConfig


class RestrictedConfig(AppConfig):
    name = "earlyhelp.restricted"
    label = "restricted"
    verbose_name = "Restricted records and break-glass"
