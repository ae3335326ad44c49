from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Puts the person's email address (verified unless they are in the "unverified" group), name and
    how they signed in (amr: "mfa" too for the "mfa" group) into the ID token and userinfo."""

    oidc_claim_scope = None  # every claim below, whatever the scopes

    def get_additional_claims(self, request):
        user = request.user
        groups = set(user.groups.values_list("name", flat=True))
        return {
            "email": user.email,
            "email_verified": "unverified" not in groups,
            "name": user.get_full_name() or user.email,
            "amr": ["pwd", "mfa"] if "mfa" in groups else ["pwd"],
        }
