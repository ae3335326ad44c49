"""The scale and choices a risk is recorded with, and the kinds of notice risk sends."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from risk import scoring

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]
SCALE_CHOICES = [(n, str(n)) for n in scoring.SCALE]
MONEY = {"max_digits": 12, "decimal_places": 2}


class NoticeKind(models.TextChoices):
    """The kinds of notice risk sends, registered with accounts.notices (risk/apps.py)."""

    ESCALATED = "risk_escalated", "A risk escalated to the elected members"
    REVIEWS_OVERDUE = "risk_reviews_overdue", "Risk reviews you have let fall overdue"
    OWNER_ASSIGNED = "risk_owner_assigned", "A risk you are named owner of"


class Category(models.TextChoices):
    DELIVERY = "delivery", "Delivery"
    FINANCIAL = "financial", "Financial"
    REPUTATIONAL = "reputational", "Reputational"
    LEGAL = "legal", "Legal and regulatory"
    SERVICE_USERS = "service_users", "Service users"
    PARTNERS = "partners", "Partners"
    MISSED_OPPORTUNITY = "missed_opportunity", "Missed opportunity (not innovating)"


class Treatment(models.TextChoices):
    ACCEPT = "accept", "Accept"
    REDUCE = "reduce", "Reduce"
    AVOID = "avoid", "Avoid"
    TRANSFER = "transfer", "Transfer"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    MATERIALISED = "materialised", "Materialised"
