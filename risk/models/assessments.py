"""A project's risk assessment, the organisation's risk appetite and how long an acceptance lasts,
and the weighing of innovating against not innovating.
"""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, OrganisationQuerySet
from innovation.models import Project
from risk import scoring
from risk.models.choices import Category

if TYPE_CHECKING:
    from risk.models.risks import Risk


DEFAULT_APPETITE = 12
# How long a member's acceptance of a risk above appetite lasts when the organisation has not
# said otherwise: a year, so that it comes back before members at least once a year.
DEFAULT_ACCEPTANCE_MONTHS = 12


class RiskAppetite(models.Model):
    """The highest residual score an organisation accepts without a member explicitly accepting it."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="risk_appetite")
    max_residual_score = models.PositiveSmallIntegerField(
        "highest residual score accepted",
        default=DEFAULT_APPETITE,
        validators=[MinValueValidator(1), MaxValueValidator(25)],
    )
    acceptance_months = models.PositiveSmallIntegerField(
        "months an acceptance lasts",
        default=DEFAULT_ACCEPTANCE_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_("When a member accepts a risk as they approve a project, the acceptance lasts this long."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = OrganisationQuerySet.as_manager()

    def __str__(self):
        return f"{self.organisation}: residual scores up to {self.max_residual_score}"


def appetite_for(organisation: Organisation) -> int:
    """The organisation's risk appetite, or the default (12, the top of the high band's lower half)."""
    try:
        return organisation.risk_appetite.max_residual_score
    except RiskAppetite.DoesNotExist:
        return DEFAULT_APPETITE


def acceptance_expiry(organisation: Organisation, *, today: datetime.date | None = None) -> datetime.date:
    """The date an acceptance given today lasts until, by the organisation's rule (12 months by default)."""
    try:
        months = organisation.risk_appetite.acceptance_months
    except RiskAppetite.DoesNotExist:
        months = DEFAULT_ACCEPTANCE_MONTHS
    return (today or timezone.localdate()) + relativedelta(months=months)


class RiskAssessment(models.Model):
    """A project's risk assessment: its risks, a summary weighing both sides and a recommendation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="risk_assessment")
    summary = models.TextField(
        blank=True,
        help_text=_("How the risks of going ahead compare with the risk of leaving the service as it is."),
    )
    recommendation = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = OrganisationQuerySet.as_manager()

    def __str__(self):
        return f"Risk assessment of {self.project}"

    def get_absolute_url(self):
        return reverse("risk:project-register", args=[self.project_id])

    def approval_problems(self) -> list[str]:
        """Why this assessment cannot yet go to approval, in plain English; empty when it can."""
        risks = list(self.risks.all())
        problems = []
        if not any(risk.category != Category.MISSED_OPPORTUNITY for risk in risks):
            problems.append(gettext("Add at least one risk of going ahead with the project."))
        if not any(risk.category == Category.MISSED_OPPORTUNITY for risk in risks):
            problems.append(gettext("Add the risk of not innovating: what happens to the service if nothing changes."))
        for risk in risks:
            if risk.owner_id is None:
                problems.append(gettext("Give the risk “%(title)s” an owner.") % {"title": risk.title})
            if risk.residual_score is None:
                problems.append(
                    gettext("Score the residual likelihood and impact of the risk “%(title)s”.") % {"title": risk.title}
                )
        if not self.summary.strip():
            problems.append(
                gettext("Write a summary comparing the risks of innovating with the risk of not innovating.")
            )
        if not self.recommendation.strip():
            problems.append(gettext("Write a recommendation."))
        return problems

    def sides(self) -> list[dict]:
        """The two sides the summary weighs: the open risks of going ahead and of not innovating."""
        risks = list(self.risks.open())
        sides = []
        for label, missed in ((gettext("Risks of going ahead"), False), (gettext("Risk of not innovating"), True)):
            side = [risk for risk in risks if (risk.category == Category.MISSED_OPPORTUNITY) == missed]
            scored = [risk.current_score for risk in side]
            highest = max(scored) if scored else None
            sides.append({"label": label, "count": len(side), "highest": highest})
        return sides

    @property
    def appetite(self) -> int:
        return appetite_for(self.organisation)

    @property
    def exceeds_appetite(self) -> bool:
        """True when an open risk of the project (not the risk of not innovating) is above the appetite."""
        return self.risks.above_appetite(self.appetite).exists()

    def above_appetite(self) -> list["Risk"]:
        """Every open risk of the project above the appetite, with what a member needs to judge it."""
        return list(
            self.risks.above_appetite(self.appetite)
            .select_related("owner", "accepted_by", "acceptance_decision__member")
            .prefetch_related("controls__owner")
        )

    @property
    def awaiting_acceptance(self) -> list["Risk"]:
        """The risks above the appetite that no member has accepted (or whose acceptance has expired)."""
        return list(self.risks.awaiting_acceptance(self.appetite))

    def weighing(self) -> "Weighing":
        """The risk of not innovating beside the highest risk of innovating, as the decision weighs them."""
        innovating, not_innovating = None, None
        for category, residual in self.risks.open().values_list("category", "residual_score"):
            if residual is None:
                continue
            if category == Category.MISSED_OPPORTUNITY:
                not_innovating = max(residual, not_innovating or 0)
            else:
                innovating = max(residual, innovating or 0)
        return Weighing(innovating=innovating, not_innovating=not_innovating)


@dataclass(frozen=True)
class Weighing:
    """The highest residual score of innovating against that of not innovating (doing nothing)."""

    innovating: int | None
    not_innovating: int | None

    @property
    def innovating_band(self) -> str:
        band = scoring.band(self.innovating)
        return band.label.lower() if band else "not scored"

    @property
    def not_innovating_band(self) -> str:
        band = scoring.band(self.not_innovating)
        return band.label.lower() if band else "not scored"

    @property
    def counts_for_the_case(self) -> bool:
        """Doing nothing is riskier than going ahead: the risk of not innovating argues for the project."""
        return self.not_innovating is not None and self.not_innovating > (self.innovating or 0)
