"""Demonstration performance data: plausible (generated, not real) quarterly and annual
histories for the demo organisations and a few hundred real authorities, aspirations, capacity
scores and a computed gap report. Development only (seed_demo refuses to run with DEBUG off).

Values are written with bulk_create, as seeding ~70,000 values through save() would take
minutes, and carry no source (ValueSource); every import through the browser, the API or
`import_measurements` records its source on the values it sets.
"""

import random
from decimal import Decimal

from django.core.management import call_command
from django.db import transaction

from accounts.models import Membership, Organisation, Role
from portfolio import gaps, periods
from portfolio.catalogue import catalogue_load
from portfolio.models import Aspiration, CapacityAssessment, CapacityFactor, Indicator, Measurement, ServiceArea

REAL_ORGANISATIONS = 250
QUARTERS = [periods.parse(f"{year}-Q{q}") for year in (2022, 2023, 2024, 2025) for q in (1, 2, 3, 4)][2:14]
YEARS = [periods.parse(label) for label in ("2021/22", "2022/23", "2023/24", "2024/25")]

# Typical range across English authorities (low, high) for each indicator in the catalogue.
TYPICAL = {
    "NI192": (25, 62), "NI191": (380, 620), "NI193": (2, 25), "FLY-TIP": (2, 30), "NI195A": (2, 12),
    "PS1-MAJOR": (70, 100), "PS2-MINOR": (65, 98), "PS2-OTHER": (75, 99), "PLAN-APPEAL": (0.5, 6),
    "NI154": (150, 1800), "NI155": (20, 450), "CTAX-COLL": (93, 98.5), "NNDR-COLL": (93, 99),
    "HB-NEW": (12, 30), "HB-CHANGE": (3, 12), "HOU-RELET": (25, 90), "HOU-TA": (20, 1500),
    "HOU-BB6": (0, 40), "HOU-PREV": (40, 75), "HOU-RENT": (95, 100), "HOU-DECENT": (0, 15),
    "ASCOF-1A": (18.3, 19.8), "ASCOF-1C": (80, 99), "ASCOF-2A": (400, 700), "ASCOF-2B": (70, 92),
    "ASCOF-3A": (55, 72), "CS-ASSESS": (70, 95), "CS-REREF": (12, 30), "CS-CPP2": (1, 8),
    "CS-LAC3": (6, 15), "CS-EHCP20": (20, 90), "PH-SMOKE": (7, 20), "PH-HEALTHCHECK": (20, 60),
    "PH-DRUG": (3, 9), "PH-OBESE6": (16, 30), "NI168": (2, 7), "NI169": (4, 12), "HW-POTHOLE": (70, 98),
    "EH-FHRS": (90, 99), "EH-NOISE": (70, 98), "CL-LIBRARY": (400, 1500), "CL-LEISURE": (800, 3500),
    "CORP-SICK": (1.5, 3.5), "CORP-INVOICE": (85, 99), "CORP-FOI": (75, 98), "CORP-COMPLAINT": (70, 97),
    "FRS-RESPONSE": (7, 11), "FRS-DWELLING": (5, 12), "FRS-HFSV": (3, 15),
}  # fmt: skip

DISTRICT = ["waste", "planning", "revenues_benefits", "housing", "environmental_health", "culture_leisure", "corporate"]
COUNTY = ["adult_social_care", "childrens_services", "public_health", "highways_transport", "corporate"]
SERVICES_BY_KIND = {
    Organisation.Kind.DISTRICT: DISTRICT,
    Organisation.Kind.COUNTY: COUNTY + ["waste"],
    Organisation.Kind.FIRE: ["fire_rescue", "corporate"],
}
ALL_BUT_FIRE = sorted(set(DISTRICT + COUNTY))

AREA_NAMES = {
    "waste": "Waste and street scene",
    "planning": "Planning and building control",
    "revenues_benefits": "Revenues and benefits",
    "housing": "Housing options and tenancy services",
    "environmental_health": "Environmental health and licensing",
    "culture_leisure": "Leisure, libraries and culture",
    "corporate": "Customer services and corporate support",
    "adult_social_care": "Adult social care",
    "childrens_services": "Children’s services",
    "public_health": "Public health",
    "highways_transport": "Highways and transport",
    "fire_rescue": "Fire and rescue",
}

# Contextual measures by kind of authority (low, high): population, people per km², index of
# multiple deprivation average score, % aged 65 and over. Ranges like those of the ONS mid-year
# estimates and the English indices of deprivation 2019, so that nearest neighbours mean something.
CONTEXT_BY_KIND = {
    Organisation.Kind.DISTRICT: ((60_000, 180_000), (60, 1_600), (8, 30), (17, 30)),
    Organisation.Kind.UNITARY: ((130_000, 420_000), (150, 3_500), (12, 38), (14, 27)),
    Organisation.Kind.METROPOLITAN: ((150_000, 1_150_000), (700, 4_600), (18, 45), (13, 22)),
    Organisation.Kind.LONDON_BOROUGH: ((150_000, 400_000), (2_500, 16_000), (10, 33), (7, 17)),
    Organisation.Kind.COUNTY: ((500_000, 1_600_000), (100, 650), (10, 25), (19, 27)),
    Organisation.Kind.WELSH: ((60_000, 390_000), (25, 2_600), (10, 30), (17, 28)),
}
# The demo councils' own: a market-town district and a mid-sized city unitary.
DEMO_CONTEXT = {
    "E07009901": {"CTX-POP": 118_400, "CTX-DENSITY": 412, "CTX-IMD": 17.8, "CTX-65PLUS": 21.6},
    "E06009902": {"CTX-POP": 268_900, "CTX-DENSITY": 1_240, "CTX-IMD": 22.4, "CTX-65PLUS": 19.8},
}
CONTEXT_YEAR = "2024/25"

# Fictional ONS-style codes so that the demo admins can try the import (real codes never end 99xx).
DEMO_ONS_CODES = {"ashby": "E07009901", "kingsmere": "E06009902"}


def _services(organisation: Organisation) -> list[str]:
    return SERVICES_BY_KIND.get(organisation.kind, ALL_BUT_FIRE)


def _series(rng: random.Random, indicator: Indicator, steps: int, struggling: bool) -> tuple[list[float], float]:
    """A history of `steps` values and an aspiration for one organisation and indicator."""
    low, high = TYPICAL.get(indicator.code, (10, 90))
    span = high - low
    level = rng.uniform(low, high)
    # Drift per period in the good direction (or, for a struggling service, the bad one).
    drift = indicator.polarity * span * rng.uniform(-0.015, 0.03) * (-1.5 if struggling else 1)
    values = []
    for _ in range(steps):
        level = level + drift + rng.gauss(0, span * 0.02)
        if indicator.unit == "%":
            level = min(max(level, 0), 100)
        values.append(max(level, 0))
    stretch = rng.uniform(0.03, 0.25) if struggling else rng.uniform(-0.05, 0.12)
    aspiration = values[-1] + indicator.polarity * abs(values[-1]) * stretch
    if indicator.unit == "%":
        aspiration = min(aspiration, 100)
    return values, max(aspiration, 0)


def _d(value: float) -> Decimal:
    return Decimal(str(round(value, 1)))


def _context(rng: random.Random, organisation: Organisation) -> dict[str, float]:
    """Plausible contextual figures for an authority of its kind: denser places are younger and,
    more often, more deprived."""
    if organisation.ons_code in DEMO_CONTEXT:
        return DEMO_CONTEXT[organisation.ons_code]
    ranges = CONTEXT_BY_KIND.get(organisation.kind)
    if ranges is None:  # fire authorities and sector bodies: no place of their own to describe
        return {}
    (p_low, p_high), (d_low, d_high), (i_low, i_high), (o_low, o_high) = ranges
    urban = rng.random()  # 0 rural … 1 urban
    wobble = lambda: rng.uniform(-0.2, 0.2)  # noqa: E731
    share = lambda u, low, high: low + (high - low) * min(max(u, 0), 1)  # noqa: E731
    return {
        "CTX-POP": round(share(urban * 0.6 + rng.random() * 0.4, p_low, p_high), -2),
        "CTX-DENSITY": round(d_low * (d_high / d_low) ** min(max(urban + wobble(), 0), 1)),
        "CTX-IMD": round(share(urban * 0.5 + rng.random() * 0.5, i_low, i_high), 1),
        "CTX-65PLUS": round(share(1 - urban + wobble(), o_low, o_high), 1),
    }


def _seed_context(organisations: list[Organisation]) -> None:
    """The contextual measures (population, density, deprivation, age) of each organisation, once."""
    measures = {i.code: i for i in Indicator.objects.catalogue().filter(purpose=Indicator.Purpose.CONTEXTUAL)}
    done = set(Measurement.objects.filter(indicator__in=measures.values()).values_list("organisation_id", flat=True))
    period = periods.parse(CONTEXT_YEAR)
    rng = random.Random(1988)  # the year the ONS lookup's oldest codes were set
    values = []
    for organisation in organisations:
        figures = _context(rng, organisation)
        if organisation.pk in done:
            continue
        for code, value in figures.items():
            if code in measures:
                values.append(
                    Measurement(
                        organisation=organisation,
                        indicator=measures[code],
                        period=period.label,
                        period_index=period.index,
                        value=Decimal(str(value)),
                    )
                )
    Measurement.objects.bulk_create(values, batch_size=2000, ignore_conflicts=True)


@transaction.atomic
def seed(organisations: dict[str, Organisation]) -> None:
    """Adds (once) service areas, histories, aspirations and capacity scores, then computes reports."""
    catalogue_load(Indicator)
    if not Organisation.objects.filter(ons_code__startswith="E0").exclude(ons_code__contains="99").exists():
        call_command("load_organisations", verbosity=0)
    demo = [o for slug, o in organisations.items() if slug in DEMO_ONS_CODES]
    for slug, code in DEMO_ONS_CODES.items():
        organisation = organisations.get(slug)
        if organisation is not None and not organisation.ons_code:
            organisation.ons_code = code
            organisation.save(update_fields=["ons_code"])
    real = list(
        Organisation.objects.filter(ons_code__isnull=False).exclude(pk__in=[o.pk for o in demo]).order_by("ons_code")
    )
    rng = random.Random(2007)  # the year of *Seeing the light*
    chosen = demo + rng.sample(real, min(REAL_ORGANISATIONS, len(real)))
    _seed_context(chosen)
    if Measurement.objects.filter(organisation__in=demo, indicator__purpose=Indicator.Purpose.PERFORMANCE).exists():
        # Seeded before: leave the figures (and anything imported since) as they are.
        gaps.gap_reports_build(organisation_ids=[o.pk for o in chosen])
        return
    indicators = list(Indicator.objects.performance())
    measurements, aspirations = [], []
    for organisation in chosen:
        services = _services(organisation)
        is_demo = organisation in demo
        for indicator in indicators:
            if indicator.service not in services:
                continue
            # Demo organisations struggle in a few services, so their report has something to say.
            struggling = rng.random() < (0.35 if is_demo else 0.2)
            steps = QUARTERS if indicator.frequency == "quarterly" else YEARS
            values, aspiration = _series(rng, indicator, len(steps), struggling)
            for period, value in zip(steps, values, strict=True):
                measurements.append(
                    Measurement(
                        organisation=organisation,
                        indicator=indicator,
                        period=period.label,
                        period_index=period.index,
                        value=_d(value),
                    )
                )
            last = steps[-1]
            aspirations.append(
                Aspiration(
                    organisation=organisation,
                    indicator=indicator,
                    period=last.label,
                    period_index=last.index,
                    value=_d(aspiration),
                )
            )
    # ignore_conflicts makes a second run leave existing values alone.
    Measurement.objects.bulk_create(measurements, batch_size=2000, ignore_conflicts=True)
    Aspiration.objects.bulk_create(aspirations, batch_size=2000, ignore_conflicts=True)
    for organisation in demo:
        for service in _services(organisation):
            ServiceArea.objects.get_or_create(
                organisation=organisation, name=AREA_NAMES[service], defaults={"service": service}
            )
        for membership in Membership.objects.filter(organisation=organisation, role__in=[Role.MANAGER, Role.MEMBER]):
            CapacityAssessment.objects.get_or_create(
                organisation=organisation,
                respondent=membership.user,
                defaults={"scores": {factor: rng.randint(1, 5) for factor in CapacityFactor.values}},
            )
    gaps.gap_reports_build(organisation_ids=[o.pk for o in chosen])
