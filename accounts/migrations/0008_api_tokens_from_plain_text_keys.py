"""Moves the API keys made before Lantern's own tokens (DRF's authtoken table, which kept each key
in plain text) into ApiTokens that keep only a hash, then empties that table.

- A key whose person is an active admin of exactly one organisation becomes a read and write
  token of that organisation, named "Key from before tokens were managed in Lantern (<email>)",
  expiring 90 days after this migration: it goes on working unchanged, and its admins now see,
  revoke and replace it on the tokens page.
- Any other key (a person in several organisations, for whom the old key named the organisation
  per request, or a person who is no admin anywhere) stops working: an admin makes a new token.
  Each such key is counted in the migration's output, never printed.
"""

import datetime as dt
import hashlib

from django.db import migrations
from django.utils import timezone

LIFETIME = dt.timedelta(days=90)


def forwards(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("accounts", "ApiToken")
    Membership = apps.get_model("accounts", "Membership")
    now = timezone.now()
    moved = dropped = 0
    for old in Token.objects.select_related("user"):
        admin_of = list(
            Membership.objects.filter(
                user=old.user, user__is_active=True, is_active=True, accepted_at__isnull=False, role="admin"
            ).values_list("organisation_id", flat=True)
        )
        others = Membership.objects.filter(user=old.user, is_active=True).exclude(organisation_id__in=admin_of)
        if len(admin_of) == 1 and not others.exists():
            ApiToken.objects.create(
                organisation_id=admin_of[0],
                name=f"Key from before tokens were managed in Lantern ({old.user.email})"[:100],
                scope="write",
                prefix=old.key[:8],
                key_hash=hashlib.sha256(old.key.encode()).hexdigest(),
                created_by=old.user,
                created_at=now,
                expires_at=now + LIFETIME,
            )
            moved += 1
        else:
            dropped += 1
    Token.objects.all().delete()
    if moved or dropped:
        print(f"\n  API keys: {moved} moved to hashed tokens, {dropped} stopped (an admin makes new ones).")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_api_tokens"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
