"""Creates an organisation and invites its first admin, for operators."""

from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import Organisation, Role


class Command(BaseCommand):
    help = "Creates an organisation (or finds it by ONS code) and invites its first admin by email."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, choices=Organisation.Kind.values)
        parser.add_argument("--ons-code", default=None)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", required=True)

    def handle(self, *args, **options):
        organisation = None
        if options["ons_code"]:
            organisation = Organisation.objects.filter(ons_code=options["ons_code"]).first()
        if organisation is None:
            organisation = services.organisation_create(
                name=options["name"], kind=options["kind"], ons_code=options["ons_code"]
            )
        try:
            membership = services.membership_invite(
                actor=None,
                organisation=organisation,
                email=options["admin_email"],
                full_name=options["admin_name"],
                role=Role.ADMIN,
            )
        except services.PeopleError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{organisation.name}: invited {membership.user.email} as admin.")
        if membership.user.has_usable_password():
            # A set-password link for someone who has a password would let whoever reads
            # this terminal take their account over.
            self.stdout.write(
                "They already have a Lantern password: they sign in as usual and accept the invitation "
                "on their Invitations page."
            )
        else:
            self.stdout.write(f"Invitation link: {services.invitation_url(user=membership.user)}")
