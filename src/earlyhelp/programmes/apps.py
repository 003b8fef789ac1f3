from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "earlyhelp.programmes"
    label = "programmes"
    verbose_name = "Programmes, services and observations"
