"""Admins keep service areas and the organisation's own indicators on pages; an indicator with data
is retired, never deleted; imports, the API and the idea form see each organisation's own only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from innovation.forms.ideas import IdeaForm
from portfolio import services
from portfolio.models import Indicator, Measurement, ServiceArea
from tests.api.conftest import api_client_for
from tests.factories import OrganisationFactory
from tests.portfolio.test_imports import HEADER, run, write

PAGES = [
    "portfolio:service-areas",
    "portfolio:service-area-create",
    "portfolio:indicators",
    "portfolio:indicator-create",
]


def _own(organisation, code="LOCAL-REPAIRS", **fields):
    defaults = {"name": "Repairs done first time", "unit": "%", "polarity": 1, "frequency": "quarterly"}
    return Indicator.objects.create(organisation=organisation, code=code, service="housing", **{**defaults, **fields})


@pytest.fixture
def catalogue(db):
    def make(code, service, frequency="quarterly"):
        return Indicator.objects.create(
            code=code, name=code, unit="%", polarity=1, frequency=frequency, service=service
        )

    return {
        "waste": make("NI192", "waste"),
        "fire": make("FRS-RESPONSE", "fire_rescue"),
        "children": make("CS-ASSESS", "childrens_services"),
        "housing": make("HOU-RELET", "housing"),
    }


@pytest.mark.parametrize("name", PAGES)
def test_only_admins_reach_the_service_area_and_indicator_pages(personas, name):
    for role in Role.values:
        status = personas.client_for(personas.members[role]).get(reverse(name)).status_code
        assert status == (200 if role == Role.ADMIN else 403), role


def test_an_admin_adds_and_renames_a_service_area(personas):
    client = personas.client_for(personas.members[Role.ADMIN])
    response = client.post(reverse("portfolio:service-area-create"), {"name": "Street scene", "service": "waste"})
    assert response.status_code == 302
    area = ServiceArea.objects.for_organisation(personas.council).get()
    response = client.post(
        reverse("portfolio:service-area-edit", args=[area.pk]), {"name": "Streets", "service": "waste"}
    )
    area.refresh_from_db()
    assert area.name == "Streets"


def test_a_service_area_form_with_errors_says_what_to_fix_and_changes_nothing(personas):
    client = personas.client_for(personas.members[Role.ADMIN])
    ServiceArea.objects.create(organisation=personas.council, name="Streets", service="waste")
    html = client.post(reverse("portfolio:service-area-create"), {"name": "", "service": ""}).content.decode()
    assert "There is a problem" in html and "Enter a name for the service area" in html and "Select a service" in html
    html = client.post(
        reverse("portfolio:service-area-create"), {"name": "streets", "service": "waste"}
    ).content.decode()
    assert "There is already a service area called streets" in html
    assert "---------" not in html
    assert ServiceArea.objects.count() == 1


def test_an_admin_adds_an_own_indicator_beside_the_catalogue(personas, catalogue):
    client = personas.client_for(personas.members[Role.ADMIN])
    data = {"code": "local-repairs", "name": "Repairs", "unit": "%", "polarity": "1", "frequency": "quarterly"}
    response = client.post(reverse("portfolio:indicator-create"), {**data, "service": "housing"})
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="LOCAL-REPAIRS")
    assert indicator.organisation == personas.council
    assert indicator.history.get().history_user == personas.members[Role.ADMIN].user
    # A catalogue code, in any case, is refused: a code names one indicator.
    html = client.post(reverse("portfolio:indicator-create"), {**data, "code": "ni192", "service": "waste"})
    assert "The code NI192 is already used by another indicator" in html.content.decode()
    # Another organisation may use the same code for its own.
    other = OrganisationFactory()
    assert _own(other).code == "LOCAL-REPAIRS"


def test_an_indicator_with_data_can_be_retired_but_not_deleted(personas, catalogue):
    admin = personas.members[Role.ADMIN]
    client = personas.client_for(admin)
    indicator = _own(personas.council)
    Measurement.objects.create(
        organisation=personas.council, indicator=indicator, period="2025-Q1", period_index=8100, value=Decimal("5")
    )
    url = reverse("portfolio:indicator-retire", args=[indicator.pk])
    assert "Delete it" not in client.get(url).content.decode()
    html = client.post(url, {"action": "delete"}).content.decode()
    assert "cannot be deleted. Retire it instead" in html
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert client.post(url, {"action": "retire"}).status_code == 302
    indicator.refresh_from_db()
    assert indicator.retired_at is not None
    assert Measurement.objects.filter(indicator=indicator).count() == 1
    assert [h.history_change_reason for h in indicator.history.order_by("history_date")][-1] == "Indicator retired"
    # Its page and figures stay.
    assert client.get(indicator.get_absolute_url()).status_code == 200


def test_an_indicator_without_data_can_be_deleted(personas):
    client = personas.client_for(personas.members[Role.ADMIN])
    indicator = _own(personas.council)
    response = client.post(reverse("portfolio:indicator-retire", args=[indicator.pk]), {"action": "delete"})
    assert response.status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_the_catalogue_is_nobodys_to_change(personas, catalogue):
    client = personas.client_for(personas.members[Role.ADMIN])
    response = client.post(reverse("portfolio:indicator-retire", args=[catalogue["waste"].pk]), {"action": "retire"})
    assert response.status_code == 404
    catalogue["waste"].refresh_from_db()
    assert catalogue["waste"].retired_at is None


def test_an_indicator_with_data_keeps_its_code_and_meaning(personas):
    admin = personas.members[Role.ADMIN].user
    indicator = _own(personas.council)
    Measurement.objects.create(
        organisation=personas.council, indicator=indicator, period="2025-Q1", period_index=8100, value=Decimal("5")
    )
    with pytest.raises(services.ReferenceDataError):
        services.indicator_update(actor=admin, indicator=indicator, name="x", unit="%", polarity=-1)
    html = personas.client_for(personas.members[Role.ADMIN]).get(
        reverse("portfolio:indicator-edit", args=[indicator.pk])
    )
    assert 'name="code"' not in html.content.decode()


def test_the_import_takes_an_organisations_own_codes_for_that_organisation_only(tmp_path, personas, catalogue):
    personas.council.ons_code = "E07000001"
    personas.council.save()
    neighbour = OrganisationFactory(ons_code="E07000002")
    _own(personas.council)
    _own(neighbour, code="NEIGHBOUR-ONLY")
    ok = run(write(tmp_path, [HEADER, ["E07000001", "local-repairs", "2025-Q1", "80"]]), personas.council)
    assert (ok.error_count, ok.created) == (0, 1)
    refused = run(write(tmp_path, [HEADER, ["E07000001", "NEIGHBOUR-ONLY", "2025-Q1", "80"]]), personas.council)
    assert refused.error_count == 1
    assert "not in the catalogue or among the organisation's own indicators" in str(refused.errors)


def test_a_retired_indicator_takes_no_new_figures(tmp_path, personas):
    personas.council.ons_code = "E07000001"
    personas.council.save()
    indicator = _own(personas.council)
    services.indicator_retire(actor=personas.members[Role.ADMIN].user, indicator=indicator)
    checked = run(write(tmp_path, [HEADER, ["E07000001", "LOCAL-REPAIRS", "2025-Q1", "80"]]), personas.council)
    assert checked.error_count == 1
    assert not Measurement.objects.exists()


def test_the_api_lists_the_catalogue_and_the_organisations_own_indicators_only(personas, catalogue):
    _own(personas.council)
    _own(OrganisationFactory(), code="ELSEWHERE")
    client = api_client_for(personas.members[Role.OFFICER])
    codes = {row["code"]: row["own"] for row in client.get(reverse("api:indicator-list")).json()["results"]}
    assert codes["LOCAL-REPAIRS"] is True and codes["NI192"] is False
    assert "ELSEWHERE" not in codes
    assert client.get(reverse("api:indicator-detail", args=["ELSEWHERE"])).status_code == 404


def _offered(organisation) -> set[str]:
    return {indicator.code for indicator in IdeaForm(organisation=organisation).fields["indicator"].queryset}


def test_a_district_council_is_not_offered_fire_or_childrens_indicators(personas, catalogue):
    assert personas.council.kind == "district"
    offered = _offered(personas.council)
    assert {"NI192", "HOU-RELET"} <= offered
    assert "FRS-RESPONSE" not in offered
    assert "CS-ASSESS" not in offered


def test_the_idea_form_offers_what_the_organisation_has_figures_for_and_its_own_live_indicators(personas, catalogue):
    Measurement.objects.create(
        organisation=personas.council, indicator=catalogue["fire"], period="2025-Q1", period_index=8100, value=1
    )
    own = _own(personas.council)
    _own(OrganisationFactory(kind="district"), code="ELSEWHERE")
    offered = _offered(personas.council)
    assert {"FRS-RESPONSE", "LOCAL-REPAIRS"} <= offered
    assert "ELSEWHERE" not in offered
    services.indicator_retire(actor=personas.members[Role.ADMIN].user, indicator=own)
    assert "LOCAL-REPAIRS" not in _offered(personas.council)


def test_a_fire_authority_is_offered_fire_indicators(catalogue):
    assert _offered(OrganisationFactory(kind="fire")) == {"FRS-RESPONSE"}
