"""Prints the two-factor code a demo person's authenticator app would show now. Development only."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import demo


class Command(BaseCommand):
    help = "Prints the current two-factor sign-in code of a demo person (seed_demo's published key). DEBUG only."

    def add_arguments(self, parser):
        parser.add_argument("email", help="a demo person's email address, such as manager@ashby.example")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp_code is for the demo data only, so it only runs with DEBUG=1.")
        try:
            code = demo.totp_code(options["email"])
        except LookupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(code)
