"""The demo data: development only, every role in three kinds of organisation, safe to run twice."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts import demo
from accounts.models import Membership, Organisation, Role, User


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # A million PBKDF2 rounds for each of the nineteen demo people would take most of a minute.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(settings) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG=1"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_seed_demo_makes_three_kinds_of_organisation_with_every_role(settings):
    output = seed(settings)
    organisations = Organisation.objects.filter(name__in=[name for _, name, _ in demo.DEMO_ORGANISATIONS])
    assert organisations.count() == 3
    assert len({organisation.kind for organisation in organisations}) == 3
    for organisation in organisations:
        roles = set(Membership.objects.for_organisation(organisation).active().values_list("role", flat=True))
        assert roles == set(Role.values), organisation.name
    assert demo.DEMO_PASSWORD in output
    for _, _, email in demo.sign_in_details():
        assert email in output
        assert User.objects.get(email=email).check_password(demo.DEMO_PASSWORD)


@pytest.mark.django_db
def test_seed_demo_twice_adds_nothing_the_second_time(settings):
    seed(settings)
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    seed(settings)
    assert (Organisation.objects.count(), User.objects.count(), Membership.objects.count()) == counts


@pytest.mark.django_db
def test_demo_people_can_sign_in(settings, client):
    seed(settings)
    response = client.post(
        "/sign-in/", {"username": demo.demo_email("ashby", Role.ADMIN), "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_demo_councils_have_contextual_figures_and_nearest_neighbours_like_them(settings):
    from portfolio.models import Measurement, NearestNeighbour

    seed(settings)
    ashby = Organisation.objects.get(name="Ashby Vale District Council")
    figures = dict(
        Measurement.objects.for_organisation(ashby)
        .filter(indicator__purpose="contextual")
        .values_list("indicator__code", "value")
    )
    assert {code: float(value) for code, value in figures.items()} == {
        "CTX-POP": 118_400, "CTX-DENSITY": 412, "CTX-IMD": 17.8, "CTX-65PLUS": 21.6
    }  # fmt: skip
    neighbours = list(NearestNeighbour.objects.for_organisation(ashby).select_related("neighbour"))
    assert [n.rank for n in neighbours] == list(range(1, 16))
    assert [n.distance for n in neighbours] == sorted(n.distance for n in neighbours)
    # Like a market-town district: mostly other districts, no London borough.
    kinds = [n.neighbour.kind for n in neighbours]
    assert kinds.count(Organisation.Kind.DISTRICT) >= 8 and Organisation.Kind.LONDON_BOROUGH not in kinds
