"""Makes the provider's database, its client and its people (from IDP_DATA_DIR/seed.json), then serves."""

import json

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import BaseCommand, call_command
from oauth2_provider.models import Application


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("address")

    def handle(self, *args, address, **options):
        call_command("migrate", verbosity=0, interactive=False)
        seed = json.loads((settings.DATA_DIR / "seed.json").read_text())
        for client in seed["clients"]:
            Application.objects.create(
                name=client["client_id"],
                client_id=client["client_id"],
                client_secret=client["client_secret"],
                client_type=Application.CLIENT_CONFIDENTIAL,
                authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
                redirect_uris=" ".join(client["redirect_uris"]),
                post_logout_redirect_uris=" ".join(client["post_logout_redirect_uris"]),
                algorithm=Application.RS256_ALGORITHM,
                skip_authorization=True,
            )
        for person in seed["users"]:
            user = User.objects.create_user(
                username=person["email"], email=person["email"], password=person["password"], first_name=person["name"]
            )
            for name in person.get("groups", []):
                user.groups.add(Group.objects.get_or_create(name=name)[0])
        call_command("runserver", address, use_reloader=False, use_threading=True, skip_checks=True)
