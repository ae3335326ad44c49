"""Every change to risk assessments, risks, controls, reviews and the risk appetite.

Split by topic (assessments, risks, decisions); import this package, not the modules:
`from risk import services` then `services.risk_create(...)`.
"""

from risk.services.assessments import appetite_set, assessment_start, assessment_update
from risk.services.base import RiskError
from risk.services.decisions import (
    carrying_owner_for,
    decision_follow_up,
    risk_accept,
    risk_escalate,
    risks_carry_not_innovating,
)
from risk.services.risks import (
    SCORE_FIELDS,
    control_add,
    overdue_reviews_remind,
    risk_comment_add,
    risk_create,
    risk_review,
    risk_update,
)

__all__ = [
    "SCORE_FIELDS",
    "RiskError",
    "appetite_set",
    "assessment_start",
    "assessment_update",
    "carrying_owner_for",
    "control_add",
    "decision_follow_up",
    "overdue_reviews_remind",
    "risk_accept",
    "risk_comment_add",
    "risk_create",
    "risk_escalate",
    "risk_review",
    "risk_update",
    "risks_carry_not_innovating",
]
