from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "earlyhelp.accounts"
    label = "accounts"
    verbose_name = "Accounts, teams and roles"

    def ready(self) -> None:
        from earlyhelp.accounts import signals  # noqa: F401  (audits sign-in and sign-out)
