"""Risk assessments of projects, their risks, controls, reviews and the organisation's risk appetite (R4).

A project's risk assessment weighs the risks of innovating against the risk of *not*
innovating (the missed opportunity). The innovation app's approval gate asks the
assessment, through `project.risk_assessment`, whether it is ready
(`approval_problems()`), whether a risk of the project exceeds the organisation's
appetite (`exceeds_appetite`) and which of those still await a member's acceptance
(`awaiting_acceptance`); innovation never imports this module.

The risk of not innovating (category "missed opportunity") is weighed, never accepted
(DESIGN.md): it never counts as above appetite, never asks for acceptance and never is a
project's highest residual score. It counts for the case (`weighing()`); if the project is
rejected, the organisation carries it (`carried_at`).

Split by topic (choices, assessments, risks); import from here: `from risk.models import Risk`.
"""

from risk.models.assessments import (
    DEFAULT_ACCEPTANCE_MONTHS,
    DEFAULT_APPETITE,
    RiskAppetite,
    RiskAssessment,
    Weighing,
    acceptance_expiry,
    appetite_for,
)
from risk.models.choices import MONEY, ONE_TO_FIVE, SCALE_CHOICES, Category, NoticeKind, Status, Treatment
from risk.models.risks import Control, Risk, RiskComment, RiskQuerySet, RiskReview

__all__ = [
    "DEFAULT_ACCEPTANCE_MONTHS",
    "DEFAULT_APPETITE",
    "MONEY",
    "ONE_TO_FIVE",
    "SCALE_CHOICES",
    "Category",
    "Control",
    "NoticeKind",
    "Risk",
    "RiskAppetite",
    "RiskAssessment",
    "RiskComment",
    "RiskQuerySet",
    "RiskReview",
    "Status",
    "Treatment",
    "Weighing",
    "acceptance_expiry",
    "appetite_for",
]
