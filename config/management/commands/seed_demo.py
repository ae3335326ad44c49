"""Loads the demonstration data of every app. Safe to run twice; development only."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import demo as accounts_demo
from accounts import notices
from innovation import demo as innovation_demo
from portfolio import demo as portfolio_demo
from risk import demo as risk_demo
from sharing import demo as sharing_demo

# Each app's demo module has `seed(organisations)`, run in this order after accounts'.
# Apps add themselves here as their demo data lands.
APP_DEMOS: list = [portfolio_demo, innovation_demo, risk_demo, sharing_demo]


class Command(BaseCommand):
    help = "Creates demo organisations, people for every role and their data. Refuses to run with DEBUG off."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo creates accounts with published passwords, so it only runs with DEBUG=1.")
        organisations = accounts_demo.seed()
        for app_demo in APP_DEMOS:
            app_demo.seed(organisations)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(
            f"\nSign in at {notices.absolute_url('accounts:sign-in')} with password: {accounts_demo.DEMO_PASSWORD}\n"
        )
        for organisation, role, email in accounts_demo.sign_in_details():
            self.stdout.write(f"  {organisation:<30} {role:<16} {email}")
        self.stdout.write(
            "\nAdmins, managers and elected members also need a two-factor code: print it with\n"
            "  python manage.py demo_totp_code EMAIL\n"
            f"or add the demo key {accounts_demo.DEMO_TOTP_SECRET} to an authenticator app.\n"
        )
