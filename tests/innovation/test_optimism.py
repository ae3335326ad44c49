"""Optimism bias (HM Treasury, Supplementary Green Book Guidance: Optimism Bias): the uplift on a
business case's options, falling as mitigations are recorded, ranking on the adjusted net value,
an organisation's own figures, and who may do what.

The worked case used throughout (figures worked by hand):

    innovate, non-standard buildings: one-off £200,000, running £10,000 a year, benefit £80,000 a
        year, 5 years, 10 months to deliver. Net value as written 400,000 − 200,000 − 50,000 = £150,000.
    incremental, standard buildings: one-off £50,000, running £5,000, benefit £30,000, 5 years, 4 months.
        Net value as written 150,000 − 50,000 − 25,000 = £75,000.
    do nothing: nothing, no kind of project. Net value £0.

Before any mitigation each uplift is the guidance's upper bound (Table 1): non-standard buildings
capital 51%, duration 39%; standard buildings capital 24%, duration 4%.
    innovate one-off 200,000 × 1.51 = £302,000; net value 400,000 − 302,000 − 50,000 = £48,000;
        10 months × 1.39 = 13.9 months.
    incremental one-off 50,000 × 1.24 = £62,000; net value 150,000 − 62,000 − 25,000 = £63,000.
So the uplift turns the order round: incremental (£63,000) now beats innovate (£48,000).
"""

import csv
from decimal import Decimal
from io import StringIO

import pytest
from django.urls import reverse

from accounts.models import Role
from innovation import exports, optimism, queries, services
from innovation.models import Factor, OptimismBiasMitigation, OptimismBiasOverride, Project, ProjectType
from tests.api.conftest import api_client_for

pytestmark = pytest.mark.django_db

OPTIONS = {
    "innovate": {
        "description": "A new community hub",
        "project_type": ProjectType.NON_STANDARD_BUILDINGS,
        "one_off_cost": Decimal("200000"),
        "running_cost": Decimal("10000"),
        "benefit": Decimal("80000"),
        "years": 5,
        "delivery_months": 10,
    },
    "incremental": {
        "description": "Refit the old library",
        "project_type": ProjectType.STANDARD_BUILDINGS,
        "one_off_cost": Decimal("50000"),
        "running_cost": Decimal("5000"),
        "benefit": Decimal("30000"),
        "years": 5,
        "delivery_months": 4,
    },
    "do_nothing": {
        "description": "As now",
        "project_type": "",
        "one_off_cost": Decimal("0"),
        "running_cost": Decimal("0"),
        "benefit": Decimal("0"),
        "years": 5,
    },
}


@pytest.fixture
def hub(advance, manager):
    """A project in assessment with the worked business case."""
    project = advance("assessment")
    services.business_case_save(
        actor=manager,
        project=project,
        version=0,
        summary="A hub.",
        recommended_option="innovate",
        options=OPTIONS,
    )
    return Project.objects.get(pk=project.pk)


def _by_kind(project):
    _case, appraisal = queries.project_appraisal(project=project)
    return {row.kind: row for row in appraisal.options}


def _mitigate(manager, project, factor="inadequate_business_case", share=50):
    return services.optimism_mitigation_record(
        actor=manager, project=project, factor=factor, share_mitigated=share, how="Costs checked by a surveyor."
    )


# ---------------------------------------------------------------- the data


def test_the_shipped_table_is_the_guidances_table_1():
    bounds = optimism.guidance_bounds()
    figures = {
        kind: (b.works_duration_upper, b.works_duration_lower, b.capital_expenditure_upper, b.capital_expenditure_lower)
        for kind, b in bounds.items()
    }
    assert figures == {
        "standard_buildings": (4, 1, 24, 2),
        "non_standard_buildings": (39, 2, 51, 4),
        "standard_civil_engineering": (20, 1, 44, 3),
        "non_standard_civil_engineering": (25, 3, 66, 6),
        "equipment_development": (54, 10, 200, 10),
        "outsourcing": (None, None, None, None),
    }
    # Outsourcing: only operating expenditure, 41% upper and 0% lower; no duration (n/a).
    assert (bounds["outsourcing"].operating_expenditure_upper, bounds["outsourcing"].operating_expenditure_lower) == (
        41,
        0,
    )


def test_every_project_types_factor_weights_add_up_to_the_whole_bias():
    for kind, weights in optimism.factor_weights().items():
        assert sum(weights.values()) == 100, kind


# ---------------------------------------------------------------- the arithmetic


def test_the_uplift_never_falls_below_the_lower_bound():
    # 51 − (51 − 4) × 1.2 = −5.4, held at the lower bound of 4.
    assert optimism.adjusted_uplift(upper=Decimal(51), lower=Decimal(4), mitigated=Decimal("1.2")) == 4


def test_a_non_standard_building_starts_at_51_per_cent_capital_and_39_per_cent_duration(hub):
    rows = _by_kind(hub)
    innovate = rows["innovate"]
    assert (innovate.cost_uplift, innovate.duration_uplift) == (51, 39)
    assert innovate.adjusted_one_off_cost == Decimal("302000.00")  # 200,000 × 1.51
    assert innovate.adjusted_running_cost == Decimal("10000")  # a building's uplift is on its capital
    assert innovate.adjusted_delivery_months == Decimal("13.9")  # 10 × 1.39
    assert innovate.net_value == 150000 and innovate.adjusted_net_value == 48000
    assert rows["incremental"].adjusted_net_value == 63000  # 150,000 − 62,000 − 25,000
    assert rows["do_nothing"].cost_uplift is None and rows["do_nothing"].adjusted_net_value == 0


def test_the_uplift_falls_as_mitigations_are_recorded(hub, manager):
    _mitigate(manager, hub, share=50)
    # Inadequacy of the business case weighs 30% of the bias; half mitigated: Σ = 0.30 × 0.50 = 0.15.
    innovate = _by_kind(hub)["innovate"]
    assert innovate.cost_uplift == Decimal("43.95")  # 51 − 47 × 0.15 = 51 − 7.05
    assert innovate.duration_uplift == Decimal("33.45")  # 39 − 37 × 0.15 = 39 − 5.55
    assert innovate.adjusted_one_off_cost == Decimal("287900.00")  # 200,000 × 1.4395
    assert innovate.adjusted_net_value == 62100  # 400,000 − 287,900 − 50,000
    [reduction] = innovate.reductions
    assert (reduction.factor, reduction.cost_points, reduction.duration_points) == (
        "inadequate_business_case",
        Decimal("7.05"),
        Decimal("5.55"),
    )

    _mitigate(manager, hub, factor="stakeholders", share=100)
    # Plus large number of stakeholders, weight 5%, fully: Σ = 0.15 + 0.05 = 0.20; 51 − 47 × 0.20 = 41.6.
    assert _by_kind(hub)["innovate"].cost_uplift == Decimal("41.6")


def test_recording_a_factor_again_replaces_its_share_and_keeps_the_history(hub, manager):
    _mitigate(manager, hub, share=50)
    _mitigate(manager, hub, share=100)
    # 51 − 47 × 0.30 = 36.9
    assert _by_kind(hub)["innovate"].cost_uplift == Decimal("36.9")
    mitigation = OptimismBiasMitigation.objects.get(business_case__project=hub)
    assert [h.share_mitigated for h in mitigation.history.order_by("history_date")] == [50, 100]


def test_the_ranking_changes_where_the_adjustment_changes_the_order(hub, manager):
    rows = _by_kind(hub)
    assert (rows["innovate"].rank, rows["incremental"].rank) == (1, 2)
    assert (rows["innovate"].adjusted_rank, rows["incremental"].adjusted_rank) == (2, 1)
    # Half the business case factor mitigated: innovate £62,100 against incremental
    # 50,000 × (1 + (24 − 22 × 0.15)%) = 50,000 × 1.207 = £60,350, net 150,000 − 60,350 − 25,000 = £64,650.
    _mitigate(manager, hub, share=50)
    rows = _by_kind(hub)
    assert (rows["innovate"].adjusted_net_value, rows["incremental"].adjusted_net_value) == (62100, 64650)
    assert rows["incremental"].adjusted_rank == 1
    # Fully mitigated: innovate 200,000 × 1.369 = 273,800, net £76,200; incremental 50,000 × 1.174 =
    # 58,700, net £66,300. Innovate comes first again.
    _mitigate(manager, hub, share=100)
    rows = _by_kind(hub)
    assert (rows["innovate"].adjusted_net_value, rows["incremental"].adjusted_net_value) == (76200, 66300)
    assert (rows["innovate"].adjusted_rank, rows["incremental"].adjusted_rank) == (1, 2)


def test_outsourcing_raises_the_running_cost_by_41_per_cent(hub, manager):
    options = {**OPTIONS, "innovate": {**OPTIONS["innovate"], "project_type": ProjectType.OUTSOURCING}}
    services.business_case_save(
        actor=manager, project=hub, version=1, summary="A hub.", recommended_option="innovate", options=options
    )
    innovate = _by_kind(hub)["innovate"]
    # Running 10,000 × 1.41 = 14,100 a year; net 400,000 − 200,000 − 70,500 = £129,500; no duration uplift.
    assert (innovate.adjusted_one_off_cost, innovate.adjusted_running_cost) == (200000, Decimal("14100.00"))
    assert innovate.adjusted_net_value == 129500
    assert innovate.duration_uplift is None and innovate.adjusted_delivery_months == 10


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("share", [101, -5, True, "50"])
def test_a_share_outside_0_to_100_is_refused_and_changes_nothing(hub, manager, share):
    _mitigate(manager, hub, share=40)
    with pytest.raises(services.InnovationError, match="from 0 to 100"):
        _mitigate(manager, hub, share=share)
    assert OptimismBiasMitigation.objects.get().share_mitigated == 40


def test_an_unknown_factor_is_refused(hub, manager):
    with pytest.raises(services.InnovationError, match="contributory factor"):
        _mitigate(manager, hub, factor="luck")
    assert not OptimismBiasMitigation.objects.exists()


@pytest.mark.parametrize(
    ("share", "message"),
    [
        ("101", "cannot be more than 100"),
        ("-5", "cannot be negative"),
        ("lots", "whole number from 0 to 100"),
    ],
)
def test_the_page_says_what_is_wrong_with_a_bad_share_and_records_nothing(hub, personas, share, message):
    client = personas.client_for(personas.members[Role.MANAGER])
    url = reverse("innovation:optimism-mitigation", args=[hub.pk])
    response = client.post(url, {"factor": "stakeholders", "share_mitigated": share, "how": "Panel"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and message in body
    assert not OptimismBiasMitigation.objects.exists()


# ---------------------------------------------------------------- pages


def test_the_project_page_shows_both_figures_and_the_uplift_falling(hub, personas):
    client = personas.client_for(personas.members[Role.MANAGER])
    body = client.get(hub.get_absolute_url()).content.decode()
    assert 'data-cost-uplift="innovate">51%' in body
    assert "+39%: 13.9 months" in body
    assert 'data-adjusted-net-value="innovate">£48,000<' in body
    assert "The uplift changes the order of the options" in body
    response = client.post(
        reverse("innovation:optimism-mitigation", args=[hub.pk]),
        {"factor": "inadequate_business_case", "share_mitigated": "50", "how": "Costs checked by a surveyor"},
    )
    assert response.status_code == 302
    body = client.get(hub.get_absolute_url()).content.decode()
    assert 'data-cost-uplift="innovate">43.95%' in body
    assert 'data-net-value="innovate">£150,000<' in body  # as written, unchanged
    assert 'data-adjusted-net-value="innovate">£62,100<' in body
    assert "cost −7.05 points, time −5.55 points" in body


def test_the_member_at_the_approval_gate_sees_both_net_values(advance, manager, member, personas, risk_ready):
    project = advance("ready")
    services.business_case_save(
        actor=manager, project=project, version=1, summary="A hub.", recommended_option="innovate", options=OPTIONS
    )
    services.project_submit_for_approval(actor=manager, project=project)
    body = personas.client_for(personas.members[Role.MEMBER]).get(
        reverse("innovation:project-decide", args=[project.pk])
    )
    body = body.content.decode()
    assert 'data-net-value="innovate">£150,000<' in body
    assert 'data-adjusted-net-value="innovate">£48,000<' in body
    assert "<strong>improve incrementally</strong> has the highest net value (£63,000)" in body


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.MANAGER, 200), (Role.OFFICER, 403), (Role.MEMBER, 403), (Role.ADMIN, 403), (Role.AUDITOR, 403)],
)
def test_only_managers_record_mitigations(hub, personas, role, status):
    client = personas.client_for(personas.members[role])
    assert client.get(reverse("innovation:optimism-mitigation", args=[hub.pk])).status_code == status


def test_another_councils_project_is_a_404_and_nothing_is_recorded(hub, personas):
    from tests.factories import MembershipFactory

    other_manager = MembershipFactory(organisation=personas.other_council, role=Role.MANAGER)
    client = personas.client_for(other_manager)
    url = reverse("innovation:optimism-mitigation", args=[hub.pk])
    assert client.get(url).status_code == 404
    post = client.post(url, {"factor": "stakeholders", "share_mitigated": "100", "how": "Forged"})
    assert post.status_code == 404
    assert not OptimismBiasMitigation.objects.exists()
    api = api_client_for(other_manager).get(reverse("api:project-business-case", args=[hub.pk]))
    assert api.status_code == 404


# ---------------------------------------------------------------- the organisation's own figures


def _override(personas, **changes):
    values = {
        "actor": personas.members[Role.ADMIN].user,
        "organisation": personas.council,
        "project_type": ProjectType.NON_STANDARD_BUILDINGS,
        "reason": "Our own record of twelve school builds since 2015.",
        "works_duration_upper": Decimal(20),
        "works_duration_lower": Decimal(2),
        "capital_expenditure_upper": Decimal(30),
        "capital_expenditure_lower": Decimal(5),
    }
    return services.optimism_override_set(**{**values, **changes})


def test_an_admins_own_figures_replace_the_guidances_with_the_reason_kept(hub, personas):
    _override(personas)
    innovate = _by_kind(hub)["innovate"]
    # 200,000 × 1.30 = 260,000; net 400,000 − 260,000 − 50,000 = £90,000; 10 months × 1.20 = 12.
    assert (innovate.cost_uplift, innovate.adjusted_net_value, innovate.adjusted_delivery_months) == (
        30,
        90000,
        Decimal("12.0"),
    )
    _override(personas, capital_expenditure_upper=Decimal(35), reason="Two more builds came in over.")
    history = queries.optimism_override_history(organisation=personas.council)
    assert [(h.capital_expenditure_upper, h.reason, h.set_by) for h in history] == [
        (35, "Two more builds came in over.", personas.members[Role.ADMIN].user),
        (30, "Our own record of twelve school builds since 2015.", personas.members[Role.ADMIN].user),
    ]
    page = personas.client_for(personas.members[Role.AUDITOR]).get(reverse("innovation:optimism-table"))
    assert "Two more builds came in over." in page.content.decode()


def test_another_councils_figures_do_not_touch_ours(hub, personas):
    from tests.factories import MembershipFactory

    other_admin = MembershipFactory(organisation=personas.other_council, role=Role.ADMIN).user
    _override(personas, actor=other_admin, organisation=personas.other_council)
    assert _by_kind(hub)["innovate"].cost_uplift == 51


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": "  "}, "Enter why"),
        ({"capital_expenditure_lower": Decimal(40)}, "lower bound cannot be above"),
        ({"capital_expenditure_upper": Decimal(-1)}, "from 0 to 1000"),
        ({"capital_expenditure_upper": None}, "Enter every upper and lower bound"),
    ],
)
def test_bad_figures_or_no_reason_are_refused_and_change_nothing(personas, changes, message):
    with pytest.raises(services.InnovationError, match=message):
        _override(personas, **changes)
    assert not OptimismBiasOverride.objects.exists()


def test_only_admins_set_own_figures(personas):
    url = reverse("innovation:optimism-override", args=["non_standard_buildings"])
    assert personas.client_for(personas.members[Role.MANAGER]).get(url).status_code == 403
    admin = personas.client_for(personas.members[Role.ADMIN])
    response = admin.post(
        url,
        {
            "works_duration_upper": "20",
            "works_duration_lower": "2",
            "capital_expenditure_upper": "30",
            "capital_expenditure_lower": "5",
            "reason": "Our own record.",
        },
    )
    assert response.status_code == 302
    assert OptimismBiasOverride.objects.get().capital_expenditure_upper == 30


def test_the_override_page_says_what_is_wrong_and_saves_nothing(personas):
    admin = personas.client_for(personas.members[Role.ADMIN])
    url = reverse("innovation:optimism-override", args=["non_standard_buildings"])
    response = admin.post(
        url,
        {
            "works_duration_upper": "20",
            "works_duration_lower": "2",
            "capital_expenditure_upper": "-3",
            "capital_expenditure_lower": "5",
            "reason": "",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body
    assert "A bound cannot be negative" in body and "Enter why the organisation uses its own figures" in body
    assert not OptimismBiasOverride.objects.exists()


# ---------------------------------------------------------------- API and export


def test_the_api_gives_each_option_as_written_and_adjusted(hub, manager, personas):
    _mitigate(manager, hub, share=50)
    response = api_client_for(personas.members[Role.OFFICER]).get(reverse("api:project-business-case", args=[hub.pk]))
    assert response.status_code == 200
    data = response.json()
    innovate = next(option for option in data["options"] if option["kind"] == "innovate")
    assert innovate["project_type"] == "non_standard_buildings"
    assert Decimal(innovate["cost_uplift_pct"]) == Decimal("43.95")
    assert Decimal(innovate["net_value"]) == 150000 and Decimal(innovate["adjusted_net_value"]) == 62100
    assert (innovate["rank"], innovate["adjusted_rank"]) == (1, 2)
    assert data["mitigations"][0]["share_mitigated"] == 50 and data["order_changed"] is True


def test_the_portfolio_export_carries_the_adjusted_figures(hub, manager, personas):
    _mitigate(manager, hub, share=50)
    projects = exports.portfolio_select(organisation=personas.council, user=manager, data={})
    out = StringIO()
    writer = csv.writer(out)
    for project in projects:
        writer.writerow(exports.portfolio_row(project))
    row = dict(zip(exports.PORTFOLIO_COLUMNS, next(csv.reader(StringIO(out.getvalue()))), strict=True))
    assert row["innovate_project_type"] == "Non-standard buildings"
    assert Decimal(row["innovate_cost_uplift_pct"]) == Decimal("43.95")
    assert Decimal(row["innovate_duration_uplift_pct"]) == Decimal("33.45")
    assert Decimal(row["innovate_adjusted_one_off_cost"]) == Decimal("287900")
    assert Decimal(row["innovate_adjusted_net_value"]) == 62100 and Decimal(row["innovate_net_value"]) == 150000


def test_the_data_names_every_project_type_and_contributory_factor():
    assert list(optimism.guidance_bounds()) == ProjectType.values
    assert all(list(weights) == Factor.values for weights in optimism.factor_weights().values())
