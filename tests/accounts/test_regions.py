"""The region of every authority (accounts/data/regions.csv) agrees with ONS's 2021 geography,
and every loaded authority gets it."""

import collections
import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts import regions, services
from accounts.models import Organisation, Region
from tests.accounts.test_commands import KIND_BY_PREFIX, authorities_in_package

# ONS 2021: local authority districts (lower tier and unitary) in each region, and county councils.
ONS_2021_DISTRICTS = {
    Region.NORTH_EAST: 12,
    Region.NORTH_WEST: 39,
    Region.YORKSHIRE: 21,
    Region.EAST_MIDLANDS: 35,
    Region.WEST_MIDLANDS: 30,
    Region.EAST: 45,
    Region.LONDON: 33,
    Region.SOUTH_EAST: 64,
    Region.SOUTH_WEST: 30,
    Region.WALES: 22,
}
ONS_2021_COUNTIES = {
    Region.NORTH_WEST: 2,  # Cumbria, Lancashire
    Region.YORKSHIRE: 1,  # North Yorkshire
    Region.EAST_MIDLANDS: 4,
    Region.WEST_MIDLANDS: 3,
    Region.EAST: 5,
    Region.SOUTH_EAST: 6,
    Region.SOUTH_WEST: 3,
}


def test_every_authority_in_the_ons_package_has_exactly_one_region_and_nothing_else_is_listed():
    assert set(regions.region_by_ons_code()) == set(authorities_in_package())
    assert set(regions.region_by_ons_code().values()) == set(Region.values)


def test_london_boroughs_are_in_london_welsh_areas_in_wales_and_nothing_else_is():
    for code, region in regions.region_by_ons_code().items():
        assert (code.startswith("E09")) == (region == Region.LONDON), code
        assert (code.startswith("W06")) == (region == Region.WALES), code


def test_the_number_of_authorities_in_each_region_is_the_ons_2021_count():
    by_code = regions.region_by_ons_code()
    districts = collections.Counter(region for code, region in by_code.items() if not code.startswith("E10"))
    counties = collections.Counter(region for code, region in by_code.items() if code.startswith("E10"))
    assert districts == ONS_2021_DISTRICTS
    assert counties == ONS_2021_COUNTIES
    assert sum(districts.values()) == 331 and sum(counties.values()) == 24


def test_a_county_is_in_the_region_of_every_one_of_its_districts():
    import qlacref_authorities

    by_code = regions.region_by_ons_code()
    for record in qlacref_authorities.records:
        district, upper = record["LTLA21CD"], record["UTLA21CD"]
        if upper.startswith("E10"):
            assert by_code[district] == by_code[upper], (district, upper)


@pytest.mark.parametrize(
    "code,region",
    [
        ("E06000001", Region.NORTH_EAST),  # Hartlepool
        ("E07000026", Region.NORTH_WEST),  # Allerdale, Cumbria
        ("E08000035", Region.YORKSHIRE),  # Leeds
        ("E06000061", Region.EAST_MIDLANDS),  # North Northamptonshire
        ("E08000025", Region.WEST_MIDLANDS),  # Birmingham
        ("E07000008", Region.EAST),  # Cambridge
        ("E09000033", Region.LONDON),  # Westminster
        ("E06000060", Region.SOUTH_EAST),  # Buckinghamshire
        ("E06000053", Region.SOUTH_WEST),  # Isles of Scilly
        ("W06000015", Region.WALES),  # Cardiff
    ],
)
def test_well_known_authorities_are_in_their_regions(code, region):
    assert regions.region_for_ons_code(code) == region


def test_a_code_outside_the_lookup_has_no_region():
    assert regions.region_for_ons_code("E06999999") == ""
    assert regions.region_for_ons_code(None) == ""


@pytest.mark.django_db
def test_every_loaded_authority_has_its_region():
    call_command("load_organisations", stdout=StringIO())
    loaded = list(Organisation.objects.values_list("ons_code", "kind", "region"))
    assert len(loaded) == 355
    for code, kind, region in loaded:
        assert kind == KIND_BY_PREFIX[code[:3]] and region, code
        assert region == regions.region_for_ons_code(code)
    by_region = collections.Counter(region for code, _, region in loaded if not code.startswith("E10"))
    assert by_region == ONS_2021_DISTRICTS
    assert Organisation.objects.filter(kind=Organisation.Kind.LONDON_BOROUGH).exclude(region=Region.LONDON).count() == 0
    assert Organisation.objects.filter(kind=Organisation.Kind.WELSH).exclude(region=Region.WALES).count() == 0


@pytest.mark.django_db
def test_the_data_migration_gives_existing_authorities_their_region_and_leaves_others_blank():
    migration = importlib.import_module("accounts.migrations.0004_organisation_region_from_ons")
    camden = Organisation.objects.create(name="Camden", kind=Organisation.Kind.LONDON_BOROUGH, ons_code="E09000007")
    network = Organisation.objects.create(name="Local Innovation Network", kind=Organisation.Kind.SECTOR_BODY)
    made_up = Organisation.objects.create(name="Kingsmere", kind=Organisation.Kind.UNITARY, ons_code="E06999999")
    migration.fill_regions(apps, None)
    migration.fill_regions(apps, None)  # twice: nothing more changes
    found = Organisation.objects.filter(pk__in=[camden.pk, network.pk, made_up.pk]).order_by("pk")
    assert [o.region for o in found] == [Region.LONDON, "", ""]


@pytest.mark.django_db
def test_an_organisation_created_with_a_known_ons_code_gets_its_region():
    organisation = services.organisation_create(name="Hartlepool", kind="unitary", ons_code="E06000001")
    assert organisation.region == Region.NORTH_EAST
    assert services.organisation_create(name="Network", kind="sector_body").region == ""
