"""Evaluation compares what was forecast with what happened (R12, issue 15 §4).

The worked example throughout: the business case's innovate option (tests/innovation/conftest
OPTIONS) forecast a one-off cost of £10,000, £2,000 a year to run, £9,000 a year of benefit over
3 years: net value 9,000 × 3 − 10,000 − 2,000 × 3 = £11,000. What happened: £12,000 one-off,
£2,500 a year, £7,000 a year, 3 years: realised net value 7,000 × 3 − 12,000 − 2,500 × 3 = £1,500.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.templatetags.govuk import money
from innovation import forecasts, services
from innovation.models import BusinessCaseOption, Evaluation, Project, ProjectTransition
from portfolio import periods
from portfolio.models import Indicator, Measurement
from tests.api.conftest import api_client_for

MINUS = "\u2212"


def _evaluate(manager, project, **overrides):
    values = {
        "actor": manager,
        "project": project,
        "outcome": "partly_succeeded",
        "summary": "Fewer texts were read than hoped",
        "actual_one_off_cost": Decimal("12000"),
        "actual_running_cost": Decimal("2500"),
        "actual_benefit": Decimal("7000"),
        "actual_years": 3,
        "value_for_money": "Still positive",
        "transferability": 4,
        "transferability_reasons": "Any council with texts",
        "evidence_level": 2,
        "evidence_support": "Missed appointments counted before and after",
    }
    values.update(overrides)
    return services.evaluation_save(**values)


def _by_name(comparisons):
    return {c.name: c for c in comparisons}


# ---------------------------------------------------------------- the figures


def test_each_figure_has_its_forecast_actual_variance_and_verdict(advance, manager, risk_ready):
    project = advance("evaluation")
    _evaluate(manager, project)
    rows = _by_name(forecasts.project_compare(Project.objects.get(pk=project.pk)))

    one_off = rows["one_off_cost"]
    assert (one_off.forecast, one_off.actual, one_off.variance) == (10000, 12000, 2000)
    assert one_off.variance_pct == Decimal("20.0") and one_off.verdict == "worse"  # a cost went up
    running = rows["running_cost"]
    assert (running.variance, running.variance_pct, running.verdict) == (500, Decimal("25.0"), "worse")
    benefit = rows["benefit"]
    assert (benefit.variance, benefit.variance_pct, benefit.verdict) == (-2000, Decimal("-22.2"), "worse")
    years = rows["years"]
    assert (years.forecast, years.actual, years.variance, years.verdict) == (3, 3, 0, None)
    net = rows["net_value"]
    assert (net.forecast, net.actual, net.variance) == (11000, 1500, -9500)
    assert net.variance_pct == Decimal("-86.4") and net.verdict == "worse"  # −9,500 / 11,000


def test_a_lower_cost_and_a_higher_benefit_are_better_than_forecast(advance, manager, risk_ready):
    project = advance("evaluation")
    _evaluate(manager, project, actual_one_off_cost=Decimal("8000"), actual_benefit=Decimal("9000"), actual_years=4)
    rows = _by_name(forecasts.project_compare(Project.objects.get(pk=project.pk)))
    assert (rows["one_off_cost"].variance, rows["one_off_cost"].verdict) == (-2000, "better")
    assert rows["benefit"].verdict == "as forecast"
    # 9,000 × 4 − 8,000 − 2,500 × 4 = 18,000 against 11,000: +7,000, +63.6%
    assert (rows["net_value"].actual, rows["net_value"].variance) == (18000, 7000)
    assert rows["net_value"].variance_pct == Decimal("63.6") and rows["net_value"].verdict == "better"
    assert rows["years"].variance == 1


def test_realised_net_value_is_the_business_cases_formula_applied_to_what_happened(advance, manager, risk_ready):
    project = advance("evaluation")
    evaluation = _evaluate(manager, project)
    option = BusinessCaseOption(one_off_cost=Decimal(12000), running_cost=Decimal(2500), benefit=Decimal(7000), years=3)
    assert evaluation.realised_net_value == option.net_value == Decimal(1500)


def test_the_variance_percentage_is_blank_when_the_forecast_was_zero():
    row = forecasts.Comparison(
        "running_cost", "Yearly running cost", -1, "yearly_running_cost", Decimal(0), Decimal(300)
    )
    assert row.variance == 300 and row.variance_pct is None and row.verdict == "worse"


def test_the_horizon_defaults_to_the_business_cases(advance, manager, risk_ready):
    project = advance("evaluation")
    evaluation = _evaluate(manager, project, actual_years=None)
    assert evaluation.actual_years == 3


# ---------------------------------------------------------------- the page


def test_the_project_page_shows_forecast_actual_and_variance_in_gov_uk_money(personas, advance, manager, risk_ready):
    project = advance("evaluation")
    _evaluate(manager, project)
    body = personas.client_for(personas.members[Role.AUDITOR]).get(project.get_absolute_url()).content.decode()
    table = body[body.index('id="forecast-against-actual"') :]
    table = table[: table.index("</table>")]
    one_off = table[table.index('data-figure="one_off_cost"') :]
    one_off = one_off[: one_off.index("</tr>")]
    for expected in ("£10,000", "£12,000", "+£2,000", "+20.0%", "Worse"):
        assert expected in one_off
    net = table[table.index('data-figure="net_value"') :]
    for expected in ("£11,000", "£1,500", f"{MINUS}£9,500", f"{MINUS}86.4%", "Worse"):
        assert expected in net
    assert "-£" not in body and "£-" not in body


def test_the_evaluation_form_starts_from_the_spend_to_date_and_the_forecast(personas, advance, manager, risk_ready):
    project = advance("evaluation")
    Project.objects.filter(pk=project.pk).update(spend_to_date=Decimal("11750.00"))
    client = personas.client_for(personas.members[Role.MANAGER])
    body = client.get(reverse("innovation:evaluation-edit", args=[project.pk])).content.decode()
    assert 'name="actual_one_off_cost" value="11750.00"' in body
    assert 'name="actual_years" value="3"' in body
    assert "£11,000" in body  # the forecast net value beside the form


def test_a_negative_actual_is_refused_with_a_clear_error_and_nothing_saved(personas, advance, risk_ready):
    project = advance("evaluation")
    client = personas.client_for(personas.members[Role.MANAGER])
    response = client.post(
        reverse("innovation:evaluation-edit", args=[project.pk]),
        {
            "outcome": "succeeded",
            "summary": "x",
            "actual_one_off_cost": "-5",
            "actual_running_cost": "0",
            "actual_benefit": "0",
            "actual_years": "3",
            "value_for_money": "x",
            "transferability": "3",
            "transferability_reasons": "x",
        },
    )
    assert response.status_code == 200
    assert "Enter an amount of 0 or more" in response.content.decode()
    assert not Evaluation.objects.filter(project=project).exists()


# ---------------------------------------------------------------- the indicator


@pytest.fixture
def days_to_relet(personas):
    """Lower is better, in days; imported quarter by quarter."""
    indicator = Indicator.objects.create(
        code="TEST-RELET",
        name="Days to re-let a home",
        unit="days",
        polarity=-1,
        frequency="quarterly",
        service="housing",
    )
    for period, value in [("2024-Q4", "14.1"), ("2025-Q1", "13.4"), ("2025-Q2", "12.0"), ("2025-Q4", "9.8")]:
        parsed = periods.parse(period)
        Measurement.objects.create(
            organisation=personas.council,
            indicator=indicator,
            period=period,
            period_index=parsed.index,
            value=Decimal(value),
        )
    # Another council's later, better figure must never be read.
    Measurement.objects.create(
        organisation=personas.other_council,
        indicator=indicator,
        period="2026-Q1",
        period_index=periods.parse("2026-Q1").index,
        value=Decimal("1"),
    )
    return indicator


def _aimed_at(project, indicator, approved_on):
    Project.objects.filter(pk=project.pk).update(indicator=indicator)
    approved = timezone.make_aware(datetime.datetime.combine(approved_on, datetime.time(12)))
    ProjectTransition.objects.filter(project=project, to_stage="implementation").update(created_at=approved)
    return Project.objects.get(pk=project.pk)


def test_before_and_after_come_from_the_imported_series(personas, advance, manager, risk_ready, days_to_relet):
    # Approved on 14 May 2025, in 2025-Q2: before is 2025-Q1's 13.4, after the latest, 2025-Q4's 9.8.
    project = _aimed_at(advance("evaluation"), days_to_relet, datetime.date(2025, 5, 14))
    evaluation = _evaluate(manager, project)
    assert (evaluation.indicator_before, evaluation.indicator_before_period) == (Decimal("13.4"), "2025-Q1")
    assert (evaluation.indicator_after, evaluation.indicator_after_period) == (Decimal("9.8"), "2025-Q4")
    body = personas.client_for(personas.members[Role.AUDITOR]).get(project.get_absolute_url()).content.decode()
    movement = body[body.index('id="indicator-movement"') :]
    movement = movement[: movement.index("</dd>")]
    assert "from 13.4 days (2025-Q1) to 9.8 days (2025-Q4): down 3.6 days" in movement
    assert "Better" in movement and "lower is better" in movement


def test_a_manager_overrides_the_imported_figures_only_with_a_recorded_reason(
    personas, advance, manager, risk_ready, days_to_relet
):
    project = _aimed_at(advance("evaluation"), days_to_relet, datetime.date(2025, 5, 14))
    with pytest.raises(services.InnovationError, match="why you are overriding"):
        _evaluate(manager, project, indicator_after=Decimal("10.5"))
    assert not Evaluation.objects.filter(project=project).exists()

    evaluation = _evaluate(
        manager, project, indicator_after=Decimal("10.5"), indicator_override_reason="Q4 import double-counted voids"
    )
    assert (evaluation.indicator_before, evaluation.indicator_before_period) == (Decimal("13.4"), "2025-Q1")
    assert (evaluation.indicator_after, evaluation.indicator_after_period) == (Decimal("10.5"), "")
    assert evaluation.history.first().history_change_reason == (
        "Indicator figures overridden: Q4 import double-counted voids"
    )
    body = personas.client_for(personas.members[Role.AUDITOR]).get(project.get_absolute_url()).content.decode()
    assert "Figures entered by hand, not the imported ones: Q4 import double-counted voids" in body


def test_overriding_through_the_form_without_a_reason_is_a_clear_error(personas, advance, risk_ready, days_to_relet):
    project = _aimed_at(advance("evaluation"), days_to_relet, datetime.date(2025, 5, 14))
    client = personas.client_for(personas.members[Role.MANAGER])
    response = client.post(
        reverse("innovation:evaluation-edit", args=[project.pk]),
        {
            "outcome": "succeeded",
            "summary": "x",
            "actual_one_off_cost": "1",
            "actual_running_cost": "1",
            "actual_benefit": "1",
            "actual_years": "3",
            "indicator_after": "10.5",
            "value_for_money": "x",
            "transferability": "3",
            "transferability_reasons": "x",
        },
    )
    body = response.content.decode()
    assert "Enter why you are overriding the imported figures" in body
    assert "13.4 days (2025-Q1, the last figure before the project started)" in body
    assert "9.8 days (2025-Q4, the latest figure)" in body
    assert not Evaluation.objects.filter(project=project).exists()


@pytest.mark.parametrize(
    ("day", "frequency", "period"),
    [
        (datetime.date(2025, 5, 14), "quarterly", "2025-Q2"),
        (datetime.date(2025, 12, 31), "quarterly", "2025-Q4"),
        (datetime.date(2026, 3, 31), "annual", "2025/26"),
        (datetime.date(2026, 4, 1), "annual", "2026/27"),
    ],
)
def test_a_day_falls_in_the_period_that_holds_it(day, frequency, period):
    assert periods.index_for_date(day, frequency) == periods.parse(period).index


# ---------------------------------------------------------------- export and API


def test_the_portfolio_export_and_the_api_carry_the_actuals_and_variances(personas, advance, manager, risk_ready):
    from reports import exports

    project = advance("evaluation")
    _evaluate(manager, project)
    export = exports.EXPORTS["portfolio-register"]
    admin = personas.members[Role.ADMIN]
    selected = export.select(organisation=personas.council, user=admin.user, data=None)
    rows = [dict(zip(export.columns, row, strict=True)) for row in export.rows(selected, organisation=personas.council)]
    row = next(r for r in rows if r["reference"] == project.reference)
    assert (row["innovate_net_value"], row["realised_net_value"]) == (11000, 1500)
    assert (row["net_value_variance"], row["net_value_variance_pct"], row["net_value_against_forecast"]) == (
        -9500,
        Decimal("-86.4"),
        "worse",
    )
    assert (row["actual_one_off_cost"], row["one_off_cost_variance"]) == (12000, 2000)

    data = api_client_for(admin).get(reverse("api:project-detail", args=[project.pk])).json()
    assert data["realised_net_value"] == "1500.00" and data["net_value_variance"] == "-9500.00"
    assert data["net_value_variance_pct"] == "-86.4" and data["net_value_against_forecast"] == "worse"
    assert data["actual_years"] == 3 and data["years_variance"] == 0


# ---------------------------------------------------------------- the options appraisal


def test_money_is_written_as_gov_uk_writes_it():
    assert money(Decimal("90000")) == "£90,000"
    assert money(Decimal("-90000")) == f"{MINUS}£90,000"
    assert money(Decimal("-0.4")) == "£0"
    assert money(None) == ""


def test_doing_nothing_may_cost_money_each_year(personas, advance, risk_ready):
    project = advance("assessment")
    client = personas.client_for(personas.members[Role.MANAGER])
    values = {"summary": "Worth it", "recommended_option": "innovate", "version": "0"}
    for kind in ("innovate", "incremental", "do_nothing"):
        values.update(
            {
                f"{kind}-description": kind,
                f"{kind}-one_off_cost": "0",
                f"{kind}-running_cost": "0",
                f"{kind}-benefit": "-30000" if kind == "do_nothing" else "1000",
                f"{kind}-years": "3",
            }
        )
    response = client.post(reverse("innovation:business-case-edit", args=[project.pk]), values)
    assert response.status_code == 302
    body = client.get(project.get_absolute_url()).content.decode()
    assert 'data-net-value="do_nothing">' + f"{MINUS}£90,000<" in body  # −30,000 × 3

    values["innovate-benefit"] = "-1000"
    values["version"] = "1"
    refused = client.post(reverse("innovation:business-case-edit", args=[project.pk]), values)
    assert refused.status_code == 200 and "Enter an amount of 0 or more" in refused.content.decode()


def test_a_project_with_no_business_case_or_evaluation_has_every_figure_blank(advance):
    project = advance("assessment")
    comparisons = forecasts.project_compare(Project.objects.get(pk=project.pk))
    assert [(c.label, c.forecast, c.actual, c.variance, c.verdict) for c in comparisons] == [
        ("One-off cost", None, None, None, None),
        ("Yearly running cost", None, None, None, None),
        ("Yearly benefit", None, None, None, None),
        ("Horizon in years", None, None, None, None),
        ("Net value", None, None, None, None),
    ]
    assert forecasts.innovate_option(project) is None


def test_the_forecast_comes_from_the_prefetched_innovate_option_without_another_query(
    advance, django_assert_num_queries
):
    project = advance("ready")
    listed = Project.objects.with_forecast_and_actual().get(pk=project.pk)
    with django_assert_num_queries(0):
        option = forecasts.innovate_option(listed)
    assert option.kind == BusinessCaseOption.Kind.INNOVATE
    assert forecasts.innovate_option(project) == option  # read with a query when not prefetched
    # A business case with no innovate option has no forecast.
    listed.business_case.innovate = []
    assert forecasts.innovate_option(listed) is None
