"""Each person hears of an idea or a project in their own language (accounts.languages), whoever
caused it and in whatever language they were reading; a decision's record shows its documents'
dates in the reader's language."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from accounts import languages
from accounts.models import Notice, Role
from innovation import queries, services
from innovation.models import Decision
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def welsh(user):
    languages.user_language_set(user=user, language="cy")
    return user


def subject_of(user, kind: str) -> str:
    return Notice.objects.get(user=user, kind=kind).subject


def test_two_assessors_asked_by_a_manager_reading_welsh_are_each_asked_in_their_own_language(
    make_idea, manager, officer, personas
):
    welsh(officer)
    english = MembershipFactory(organisation=personas.council, role=Role.OFFICER).user
    idea = make_idea(title="Benches")
    with translation.override("cy"):
        services.scorecard_assign(actor=manager, idea=idea, assessor=officer)
        services.scorecard_assign(actor=manager, idea=idea, assessor=english)

    assert subject_of(officer, "scoring_request") == "Sgoriwch y syniad “Benches”"
    assert subject_of(english, "scoring_request") == "Please score the idea “Benches”"


def test_an_approval_reaches_a_welsh_owner_in_welsh_and_the_english_ideas_author_in_english(
    advance, manager, officer, risk_ready
):
    welsh(manager)
    project = advance("implementation")

    assert subject_of(manager, "decision").startswith(f"Penderfyniad ar “{project.title}”")
    assert subject_of(officer, "idea_project") == f"The project from your idea “{project.title}” has been approved"


def test_a_declined_ideas_welsh_author_is_told_in_welsh_and_whoever_gave_it_in_the_requests_language(
    make_idea, manager, officer, django_capture_on_commit_callbacks
):
    welsh(officer)
    idea = make_idea(
        title="Benches", originator_name="Mr Patel", originator_email="patel@example.org", originator_consent=True
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_decline(actor=manager, idea=idea, reason="No budget this year.")

    by_address = {tuple(m.to): m for m in mail.outbox}
    assert by_address[(officer.email,)].subject == "Mae eich syniad “Benches” wedi'i wrthod"
    # Someone outside the council has no account to choose a language in: the manager's request is English.
    assert by_address[("patel@example.org",)].subject == "Your idea “Benches” has been declined"


def test_a_decisions_documents_show_their_dates_in_the_readers_language(advance, risk_ready):
    with time_machine.travel(datetime.datetime(2026, 12, 3, 12, tzinfo=datetime.UTC), tick=False):
        project = advance("implementation")
    decision = Decision.objects.get(project=project)

    with translation.override("cy"):
        welsh_record = queries.decision_record(decision)
    english_record = queries.decision_record(decision)

    case = next(d for d in welsh_record.documents if d["title"] == "Achos busnes")
    assert case["detail"].startswith("fersiwn ") and case["detail"].endswith(", newidiwyd ddiwethaf 3 Rhagfyr 2026")
    assert english_record.documents[0]["detail"].endswith("last changed 3 December 2026")
