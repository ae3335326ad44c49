"""Operators' commands: loading the real authorities, and creating an organisation with its first admin."""

import collections
import re
from io import StringIO

import pytest
import qlacref_authorities
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Membership, Organisation, Region, Role, User

KIND_BY_PREFIX = {
    "E06": Organisation.Kind.UNITARY,
    "E07": Organisation.Kind.DISTRICT,
    "E08": Organisation.Kind.METROPOLITAN,
    "E09": Organisation.Kind.LONDON_BOROUGH,
    "E10": Organisation.Kind.COUNTY,
    "W06": Organisation.Kind.WELSH,
}


def authorities_in_package() -> dict[str, str]:
    """ONS code → name for every English and Welsh authority in the package's 2021 lookup."""
    found = {}
    for record in qlacref_authorities.records:
        for code, name in ((record["LTLA21CD"], record["LTLA21NM"]), (record["UTLA21CD"], record["UTLA21NM"])):
            if code[:3] in KIND_BY_PREFIX:
                found[code] = name
    return found


def run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_load_organisations_loads_every_english_and_welsh_authority_with_its_kind():
    expected = authorities_in_package()
    run("load_organisations")
    loaded = dict(Organisation.objects.values_list("ons_code", "kind"))
    assert set(loaded) == set(expected)
    for code, kind in loaded.items():
        assert kind == KIND_BY_PREFIX[code[:3]], code
    counts = collections.Counter(kind for kind in loaded.values())
    assert counts == collections.Counter(KIND_BY_PREFIX[code[:3]] for code in expected)
    assert set(counts) == set(KIND_BY_PREFIX.values()), "every kind of authority is present"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code,name,kind",
    [
        ("E06000001", "Hartlepool", Organisation.Kind.UNITARY),
        ("E07000008", "Cambridge", Organisation.Kind.DISTRICT),
        ("E08000003", "Manchester", Organisation.Kind.METROPOLITAN),
        ("E09000001", "City of London", Organisation.Kind.LONDON_BOROUGH),
        ("E10000003", "Cambridgeshire", Organisation.Kind.COUNTY),
        ("W06000015", "Cardiff", Organisation.Kind.WELSH),
    ],
)
def test_load_organisations_knows_well_known_councils(code, name, kind):
    run("load_organisations")
    organisation = Organisation.objects.get(ons_code=code)
    assert (organisation.name, organisation.kind) == (name, kind)


@pytest.mark.django_db
def test_load_organisations_twice_changes_nothing():
    first = run("load_organisations")
    before = list(Organisation.objects.order_by("pk").values_list("pk", "ons_code", "name", "kind", "region"))
    second = run("load_organisations")
    assert list(Organisation.objects.order_by("pk").values_list("pk", "ons_code", "name", "kind", "region")) == before
    assert all(region for *_, region in before), "every authority has its region"
    assert f"{len(before)} organisations added, 0 updated." in first
    assert "0 organisations added, 0 updated." in second


@pytest.mark.django_db
def test_load_organisations_corrects_a_renamed_authority_and_leaves_others_alone():
    Organisation.objects.create(ons_code="E08000003", name="Manchester (old name)", kind=Organisation.Kind.UNITARY)
    Organisation.objects.create(name="Local Innovation Network", kind=Organisation.Kind.SECTOR_BODY)
    output = run("load_organisations")
    assert "1 updated" in output
    manchester = Organisation.objects.get(ons_code="E08000003")
    assert (manchester.name, manchester.kind, manchester.region) == (
        "Manchester",
        Organisation.Kind.METROPOLITAN,
        Region.NORTH_WEST,
    )
    assert Organisation.objects.filter(name="Local Innovation Network", ons_code=None, region="").exists()


@pytest.mark.django_db
def test_load_organisations_gives_an_existing_authority_without_a_region_its_region():
    run("load_organisations")
    Organisation.objects.filter(ons_code__in=["E09000007", "W06000015"]).update(region="")
    assert "0 organisations added, 2 updated." in run("load_organisations")
    assert Organisation.objects.get(ons_code="E09000007").region == Region.LONDON  # Camden
    assert Organisation.objects.get(ons_code="W06000015").region == Region.WALES  # Cardiff


CREATE = {
    "name": "Northwick Council",
    "kind": "unitary",
    "ons_code": "E06999999",
    "admin_email": "Ada@Northwick.example",
}


@pytest.mark.django_db
def test_create_organisation_invites_the_first_admin_and_prints_a_working_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run("create_organisation", admin_name="Ada Lovelace", **CREATE)
    organisation = Organisation.objects.get(ons_code="E06999999")
    assert (organisation.name, organisation.kind) == ("Northwick Council", Organisation.Kind.UNITARY)
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user.email, membership.role) == ("ada@northwick.example", Role.ADMIN)
    assert "Northwick Council: invited ada@northwick.example as admin." in output
    (message,) = mail.outbox
    assert message.to == ["ada@northwick.example"]

    link = re.search(r"Invitation link: https?://[^/]+(/invitation/\S+/)", output).group(1)
    new_password = "first admin passphrase"
    response = Client().post(link, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert User.objects.get(email="ada@northwick.example").check_password("first admin passphrase")
    membership.refresh_from_db()
    assert membership.is_active and not membership.is_pending  # setting the password accepted it


@pytest.mark.django_db
def test_create_organisation_twice_for_the_same_admin_is_refused_and_changes_nothing():
    run("create_organisation", admin_name="Ada Lovelace", **CREATE)
    with pytest.raises(CommandError, match="has already been invited to Northwick Council"):
        run("create_organisation", admin_name="Ada Lovelace", **CREATE)
    assert Organisation.objects.filter(ons_code="E06999999").count() == 1
    assert Membership.objects.count() == 1


@pytest.mark.django_db
def test_create_organisation_does_not_print_a_password_link_for_someone_who_has_a_password(personas):
    existing = personas.members[Role.OFFICER].user
    output = run("create_organisation", **{**CREATE, "admin_email": existing.email, "admin_name": "Ignored"})
    assert "/invitation/" not in output
    assert "already have a Lantern password" in output
    assert "accept the invitation on their Invitations page" in output
    invitation = existing.memberships.get(organisation__ons_code="E06999999")
    assert (invitation.role, invitation.is_pending, invitation.is_active) == (Role.ADMIN, True, False)
