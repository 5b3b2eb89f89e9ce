from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """The customer's account as a whole, across the apps that hold a part of it.

    It may use every other app; none uses it. Today: seeding many accounts for scale tests.
    """

    name = "accounts"
