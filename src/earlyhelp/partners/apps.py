from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "earlyhelp.partners"
    label = "partners"
    verbose_name = "Partner directory"
