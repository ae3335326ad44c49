"""The scale and choices a risk is recorded with, and the kinds of notice risk sends."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from risk import scoring

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]
SCALE_CHOICES = [(n, str(n)) for n in scoring.SCALE]
MONEY = {"max_digits": 12, "decimal_places": 2}


class NoticeKind(models.TextChoices):
    """The kinds of notice risk sends, registered with accounts.notices (risk/apps.py)."""

    ESCALATED = "risk_escalated", _("A risk escalated to the elected members")
    REVIEWS_OVERDUE = "risk_reviews_overdue", _("Risk reviews you have let fall overdue")
    OWNER_ASSIGNED = "risk_owner_assigned", _("A risk you are named owner of")


class Category(models.TextChoices):
    DELIVERY = "delivery", _("Delivery")
    FINANCIAL = "financial", _("Financial")
    REPUTATIONAL = "reputational", _("Reputational")
    LEGAL = "legal", _("Legal and regulatory")
    SERVICE_USERS = "service_users", _("Service users")
    PARTNERS = "partners", _("Partners")
    MISSED_OPPORTUNITY = "missed_opportunity", _("Missed opportunity (not innovating)")


class Treatment(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    REDUCE = "reduce", _("Reduce")
    AVOID = "avoid", _("Avoid")
    TRANSFER = "transfer", _("Transfer")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    MATERIALISED = "materialised", _("Materialised")
