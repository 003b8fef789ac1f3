from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "earlyhelp.referrals"
    label = "referrals"
    verbose_name = "Referrals"
