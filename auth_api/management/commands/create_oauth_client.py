"""Register an app that logs customers in with OAuth2 (authorization code + PKCE)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import Application


class Command(BaseCommand):
    help = "Register an OAuth2 client application and print its client id (and secret)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="shown to customers on the authorization page")
        parser.add_argument(
            "--redirect-uri",
            action="append",
            required=True,
            help="allowed callback, e.g. https://app.shop.example/callback (repeatable)",
        )
        parser.add_argument(
            "--confidential",
            action="store_true",
            help="a server-side client with a secret (default: a public app using PKCE only)",
        )

    def handle(self, *args, name, redirect_uri, confidential, **options):
        if Application.objects.filter(name=name).exists():
            raise CommandError(f"An application named {name!r} exists already.")
        secret = generate_client_secret() if confidential else ""
        application = Application(
            name=name,
            client_type=Application.CLIENT_CONFIDENTIAL
            if confidential
            else Application.CLIENT_PUBLIC,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(redirect_uri),
            client_secret=secret,
            algorithm="",
        )
        try:
            application.full_clean(exclude=["user"])
        except ValidationError as exc:
            problems = "; ".join(
                message for messages in exc.message_dict.values() for message in messages
            )
            raise CommandError(problems) from exc
        application.save()
        self.stdout.write(f"client_id: {application.client_id}")
        if confidential:
            # Stored hashed: this is the only time the secret can be read.
            self.stdout.write(f"client_secret: {secret}")
