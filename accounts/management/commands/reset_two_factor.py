"""Resets a person's two-factor sign-in, for operators: the route for someone in several organisations."""

from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import User


class Command(BaseCommand):
    help = (
        "Removes a person's authenticator app and signs them out everywhere, recorded in their history in every "
        "organisation they work in. Check it is really them asking first."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No one on Lantern has the email address {email}.")
        try:
            services.user_two_factor_reset(user=user)
        except services.PeopleError as error:
            raise CommandError(str(error)) from error
        # By name: the order of the rows alone would change from run to run.
        active = user.memberships.active().select_related("organisation").order_by("organisation__name")
        organisations = ", ".join(m.organisation.name for m in active)
        self.stdout.write(
            f"Reset two-factor sign-in for {user.email} and signed them out everywhere. "
            f"Recorded in: {organisations or 'no organisation'}."
        )
