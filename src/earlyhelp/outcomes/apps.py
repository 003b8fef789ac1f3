from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "earlyhelp.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes, sustain checks and programme claims"
