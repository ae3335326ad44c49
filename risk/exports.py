"""The risk register as rows, filtered exactly as the register page filters it (RiskFilter
over queries.register_base), in the page's order."""

from collections.abc import Iterator

from django.db.models import QuerySet

from accounts.models import Organisation, User
from risk import queries, scoring
from risk.filters import RiskFilter
from risk.models import Risk

REGISTER_COLUMNS = [
    "project",
    "risk",
    "category",
    "owner",
    "inherent_likelihood",
    "inherent_impact",
    "inherent_score",
    "inherent_band",
    "treatment",
    "residual_likelihood",
    "residual_impact",
    "residual_score",
    "residual_band",
    "status",
    "review_date",
    "accepted_by",
    "accepted_until",
]


def register_filterset(data, *, organisation: Organisation, user: User) -> RiskFilter:
    base = queries.register_base(organisation=organisation, user=user)
    return RiskFilter(data or None, base, organisation=organisation, with_project=True)


def register_select(*, organisation: Organisation, user: User, data) -> QuerySet[Risk]:
    return queries.register_rows(register_filterset(data, organisation=organisation, user=user).qs)


def _band_label(score: int | None) -> str | None:
    band = scoring.band(score)
    return str(band.label) if band else None


def register_rows(risks: QuerySet[Risk]) -> Iterator[list]:
    for risk in risks.iterator(chunk_size=2000):
        yield [
            risk.assessment.project.title,
            risk.title,
            risk.get_category_display(),
            (risk.owner.full_name or risk.owner.email) if risk.owner_id else None,
            risk.inherent_likelihood,
            risk.inherent_impact,
            risk.inherent_score,
            _band_label(risk.inherent_score),
            risk.get_treatment_display(),
            risk.residual_likelihood,
            risk.residual_impact,
            risk.residual_score,
            _band_label(risk.residual_score),
            risk.get_status_display(),
            risk.review_date,
            (risk.accepted_by.full_name or risk.accepted_by.email) if risk.accepted_by_id else None,
            risk.accepted_until,
        ]


def band_label(score: int | None) -> str | None:
    """The band's name for a residual score (the portfolio register's risk column)."""
    return _band_label(score)
