"""What every API endpoint shares: the organisation a request works in, the rule-based
permission check, and the organisations endpoint.

The API's organisation: a client names it in the `X-Lantern-Organisation` header (the
organisation's id), and must hold an active membership there. Without the header, a
browser session works in the organisation chosen on the site (as every page does), and a
person who belongs to exactly one organisation is simply in it. Anyone else gets a 400
saying to send the header. The same roles (accounts.rules and each app's rules.py) and the
same tenancy (`for_organisation` and each app's queries.py) then apply as on the pages.
"""

from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework import exceptions, mixins, permissions, serializers, viewsets

from accounts import access, queries
from accounts.models import ApiToken, Membership, Organisation

HEADER = "X-Lantern-Organisation"


def membership_for_request(request) -> Membership:
    """The membership an API request works as (see the module's docstring); raises a JSON error otherwise."""
    memberships = queries.membership_list_for_user(user=request.user)
    named = request.headers.get(HEADER)
    if isinstance(request.auth, ApiToken):
        # An integration token works in its own organisation only, whatever the header says.
        membership = next((m for m in memberships if m.organisation_id == request.auth.organisation_id), None)
        if membership is None or (named is not None and named.strip() != str(membership.organisation_id)):
            raise exceptions.PermissionDenied(_("This token works only for the organisation it was made in."))
        return membership
    if named is not None:
        membership = next((m for m in memberships if str(m.organisation_id) == named.strip()), None)
        if membership is None:
            # Translators: %(header)s is the name of an HTTP header, X-Lantern-Organisation.
            raise exceptions.PermissionDenied(
                _("You do not belong to the organisation named in %(header)s.") % {"header": HEADER}
            )
        return membership
    chosen = getattr(request._request, "membership", None)
    if chosen is not None:
        return chosen
    if len(memberships) == 1:
        return memberships[0]
    if not memberships:
        raise exceptions.PermissionDenied(_("You do not belong to any organisation."))
    raise exceptions.ParseError(
        # Translators: %(header)s is the name of an HTTP header, X-Lantern-Organisation.
        _("You belong to several organisations: say which one with the %(header)s header (its id).")
        % {"header": HEADER}
    )


class OrganisationAPIMixin:
    """Gives a view `self.organisation` and `self.membership`, and checks `permission` there.

    `permission` is a rule name (for example "innovation.view"); `write_permission`, when
    set, is checked instead for unsafe methods. Both are checked against the organisation,
    as `accounts.access.permission_required` does for the pages.
    """

    permission: str = ""
    write_permission: str = ""
    # Ids are numbers that fit a bigint: anything else is a 404 before any query is tried.
    lookup_value_regex = "[0-9]{1,18}"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.membership = membership_for_request(request)
        self.organisation = self.membership.organisation
        perm = (
            self.write_permission
            if request.method not in permissions.SAFE_METHODS and self.write_permission
            else self.permission
        )
        if perm:
            access.require(request.user, perm, self.organisation)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["organisation"] = getattr(self, "organisation", None)
        return context

    def get_queryset(self):
        # The schema generator asks for a queryset without a request's organisation: an empty one of `model`.
        if getattr(self, "swagger_fake_view", False):
            return self.model._default_manager.none()
        return self.organisation_queryset()

    def organisation_queryset(self):
        raise NotImplementedError


class OrganisationSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "ons_code", "role"]

    def get_role(self, organisation) -> str | None:
        return self.context["roles"].get(organisation.pk)


class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The organisations you belong to, with your role in each: their ids go in X-Lantern-Organisation."""

    lookup_value_regex = "[0-9]{1,18}"

    serializer_class = OrganisationSerializer

    @cached_property
    def _memberships(self):
        memberships = queries.membership_list_for_user(user=self.request.user)
        if isinstance(self.request.auth, ApiToken):
            return [m for m in memberships if m.organisation_id == self.request.auth.organisation_id]
        return memberships

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Organisation.objects.none()
        return Organisation.objects.filter(pk__in=[m.organisation_id for m in self._memberships]).order_by("name")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "roles": {m.organisation_id: m.role for m in self._memberships}}
