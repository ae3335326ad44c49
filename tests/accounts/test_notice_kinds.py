"""Each kind of notice issue 16 added reaches the right person, with a link to where they act,
by email as they chose (straight away, in a digest, or not at all) and on their notifications
page whatever they chose."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import mail
from django.utils import timezone

from accounts import notices
from accounts.models import Membership, Notice, Organisation, Role
from innovation import services as innovation
from portfolio.models import Service, ServiceArea
from risk import services as risk
from sharing import services as sharing
from sharing.models import Visibility, VisitRequest
from tests.conftest import Personas
from tests.factories import MembershipFactory, OrganisationFactory
from tests.sharing.conftest import finished_project, lesson_text, publish

pytestmark = pytest.mark.django_db


def _area(organisation) -> ServiceArea:
    return ServiceArea.objects.get_or_create(organisation=organisation, name="Waste", service=Service.WASTE)[0]


def _idea(p: Personas, officer=None):
    return innovation.idea_create(
        actor=officer or p.members[Role.OFFICER].user,
        organisation=p.council,
        title="Text reminders for bin days",
        problem="Missed collections",
        proposal="A text the night before",
        source="staff",
        service_areas=[_area(p.council)],
    )


def _project(p: Personas):
    return innovation.idea_accept(actor=p.members[Role.MANAGER].user, idea=_idea(p), owner=p.members[Role.MANAGER].user)


def _shared_lesson(p: Personas):
    manager, admin = p.members[Role.MANAGER].user, p.members[Role.ADMIN].user
    lesson = sharing.lesson_create(
        actor=manager, project=finished_project(p.council, manager), **lesson_text(p.council)
    )
    return publish(admin, lesson, Visibility.SECTOR)


@dataclass
class Case:
    """Who must hear (made before the event, so that their preference can be set), and the event,
    which returns the path of the page where they act."""

    recipient: object
    act: Callable[[], str]


def scoring_request(p: Personas) -> Case:
    idea = _idea(p)
    officer = p.members[Role.OFFICER].user
    manager = p.members[Role.MANAGER].user

    def act():
        innovation.scorecard_assign(actor=manager, idea=idea, assessor=officer)
        return f"/ideas/{idea.reference}/score/"

    return Case(officer, act)


def sponsor_named(p: Personas) -> Case:
    project = _project(p)
    member = p.members[Role.MEMBER].user

    def act():
        innovation.project_set_sponsor(actor=p.members[Role.MANAGER].user, project=project, sponsor=member)
        return f"/projects/{project.pk}/"

    return Case(member, act)


def sponsor_volunteered(p: Personas) -> Case:
    project = _project(p)

    def act():
        innovation.project_sponsor_volunteer(actor=p.members[Role.MEMBER].user, project=project)
        return f"/projects/{project.pk}/"

    return Case(project.owner, act)


def campaign_opened(p: Personas) -> Case:
    def act():
        campaign = innovation.campaign_create(
            actor=p.members[Role.MANAGER].user,
            organisation=p.council,
            title="Fewer missed bins",
            question="How could we miss fewer bins?",
            deadline=timezone.localdate() + datetime.timedelta(days=30),
        )
        return f"/campaigns/{campaign.pk}/"

    return Case(p.members[Role.OFFICER].user, act)


def idea_project(p: Personas) -> Case:
    project = _project(p)

    def act():
        innovation.project_abandon(actor=p.members[Role.MANAGER].user, project=project, reason="Supplier went bust")
        return f"/projects/{project.pk}/"

    return Case(p.members[Role.OFFICER].user, act)


def risk_owner_assigned(p: Personas) -> Case:
    project = _project(p)
    officer = p.members[Role.OFFICER].user

    def act():
        made = risk.risk_create(
            actor=p.members[Role.MANAGER].user,
            project=project,
            title="Supplier cannot deliver",
            category="delivery",
            inherent_likelihood=4,
            inherent_impact=4,
            owner=officer,
        )
        return f"/risk/risks/{made.pk}/"

    return Case(officer, act)


def lesson_adopted(p: Personas) -> Case:
    lesson = _shared_lesson(p)

    def act():
        sharing.adoption_create(
            actor=p.outsider.user,
            organisation=p.other_council,
            lesson=lesson,
            title="Earlier reminders",
            problem="Missed appointments",
            proposal="Two days ahead",
            what_changed="Two days ahead, not two hours",
            service_areas=[_area(p.other_council)],
        )
        return f"/lessons/{lesson.pk}/"

    return Case(p.members[Role.MANAGER].user, act)


def lesson_featured(p: Personas) -> Case:
    lesson = _shared_lesson(p)
    body = OrganisationFactory(name="Local Innovation Network", kind=Organisation.Kind.SECTOR_BODY, ons_code=None)
    curator = MembershipFactory(organisation=body, role=Role.CURATOR).user

    def act():
        sharing.lesson_feature(actor=curator, organisation=body, lesson=lesson, reason="An honest failure")
        return f"/lessons/{lesson.pk}/"

    return Case(lesson.author, act)


def visit_replies(p: Personas) -> Case:
    lesson = _shared_lesson(p)

    def act():
        visit = sharing.visit_request_create(
            actor=p.outsider.user,
            organisation=p.other_council,
            lesson=lesson,
            message="May we see the texts?",
            kind=VisitRequest.Kind.INDIVIDUAL,
        )
        return f"/visits/#visit-{visit.pk}"

    return Case(p.outsider.user, act)


CASES = {
    "scoring_request": scoring_request,
    "sponsor_named": sponsor_named,
    "sponsor_volunteered": sponsor_volunteered,
    "campaign_opened": campaign_opened,
    "idea_project": idea_project,
    "risk_owner_assigned": risk_owner_assigned,
    "lesson_adopted": lesson_adopted,
    "lesson_featured": lesson_featured,
    "visit_replies": visit_replies,
}


def _run(personas, kind, frequency, capture):
    case = CASES[kind](personas)
    notices.preference_set(actor=case.recipient, preferences={kind: frequency})
    mail.outbox.clear()
    with capture(execute=True):
        path = case.act()
    notice = Notice.objects.get(user=case.recipient, kind=kind)
    return case, path, notice, [m for m in mail.outbox if m.to == [case.recipient.email]]


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_kind_is_emailed_straight_away_with_a_link_when_the_person_wants_it_so(
    personas, kind, django_capture_on_commit_callbacks, settings
):
    case, path, notice, emails = _run(personas, kind, "immediately", django_capture_on_commit_callbacks)
    assert [m.subject for m in emails] == [notice.subject]
    assert settings.SITE_URL.rstrip("/") + path in emails[0].body
    assert notice.url == path and notice.read_at is None and notice.sent_at is not None


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_kind_waits_for_the_digest_when_the_person_wants_a_digest(
    personas, kind, django_capture_on_commit_callbacks
):
    case, path, notice, emails = _run(personas, kind, "daily", django_capture_on_commit_callbacks)
    assert emails == [] and notice.sent_at is None
    with django_capture_on_commit_callbacks(execute=True):
        notices.digest_send(frequency="daily", users=[case.recipient])
    digests = [m for m in mail.outbox if m.to == [case.recipient.email]]
    assert len(digests) == 1 and notice.subject in digests[0].body


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_kind_is_not_emailed_but_is_still_on_the_notifications_page_when_the_person_wants_no_email(
    personas, kind, django_capture_on_commit_callbacks
):
    case, path, notice, emails = _run(personas, kind, "never", django_capture_on_commit_callbacks)
    assert emails == []
    membership = Membership.objects.filter(user=case.recipient).first()
    page = personas.client_for(membership).get("/notifications/inbox/").content.decode()
    assert notice.subject in page and f'href="{path}"' in page


def test_a_new_campaign_comes_in_the_weekly_digest_until_a_person_chooses_otherwise(personas):
    assert notices.preferences_of(personas.members[Role.OFFICER].user)["campaign_opened"] == "weekly"
    assert notices.preferences_of(personas.members[Role.OFFICER].user)["scoring_request"] == "immediately"


def test_a_new_campaign_tells_every_member_of_staff_but_not_the_manager_who_opened_it(
    personas, django_capture_on_commit_callbacks
):
    campaign_opened(personas).act()
    told = set(Notice.objects.filter(kind="campaign_opened").values_list("user__memberships__role", flat=True))
    assert told == {Role.OFFICER, Role.MEMBER, Role.ADMIN}  # not the manager; not auditors or curators
    assert not Notice.objects.filter(user=personas.outsider.user).exists()
