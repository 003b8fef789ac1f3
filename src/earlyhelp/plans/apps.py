from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "earlyhelp.plans"
    label = "plans"
    verbose_name = "Family plans (Team Around the Family)"
