from django.apps import AppConfig


class DatamapConfig(AppConfig):
    name = "earlyhelp.datamap"
    label = "datamap"
    verbose_name = "Data map and privacy notice"
