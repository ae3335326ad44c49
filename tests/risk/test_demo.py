import pytest

from accounts import demo as accounts_demo
from accounts.demo import demo_email
from accounts.models import User
from risk import demo
from risk.models import Risk, RiskAssessment, appetite_for
from tests.factories import ProjectFactory


@pytest.fixture
def demo_projects(db, settings):
    # The demo people's passwords at a million PBKDF2 rounds each would take most of a minute.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    organisations = accounts_demo.seed()
    manager = User.objects.get(email=demo_email("ashby", "manager"))
    stages = ["assessment", "assessment", "awaiting_approval", "implementation", "evaluation", "closed"]
    for stage in stages:
        ProjectFactory(organisation=organisations["ashby"], owner=manager, stage=stage)
    return organisations


def test_demo_registers_have_risks_above_appetite_and_overdue_reviews(demo_projects):
    demo.seed(demo_projects)
    ashby = demo_projects["ashby"]
    assert appetite_for(ashby) == 12
    risks = Risk.objects.for_organisation(ashby)
    assert RiskAssessment.objects.for_organisation(ashby).count() == 5
    assert risks.filter(residual_score__gt=12).exists()
    assert risks.overdue().exists()
    assert risks.filter(category="missed_opportunity").count() == 5
    assert any(risk.acceptance_expired for risk in risks)
    assert all(a.approval_problems() == [] for a in RiskAssessment.objects.for_organisation(ashby))


def test_demo_seeding_twice_adds_nothing_the_second_time(demo_projects):
    demo.seed(demo_projects)
    count = Risk.objects.count()
    demo.seed(demo_projects)
    assert Risk.objects.count() == count
