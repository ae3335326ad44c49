"""Every innovation page: who may open it (a permission matrix per view), what it shows,
that refused changes say why and change nothing, and that lists cost a fixed number of queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Role
from innovation import services
from innovation.models import Idea, IdeaStage, Project, ProjectStage
from portfolio.models import Indicator
from tests.factories import MembershipFactory
from tests.innovation.conftest import OPTIONS

pytestmark = pytest.mark.django_db

ROLES = [Role.OFFICER, Role.MANAGER, Role.MEMBER, Role.ADMIN, Role.CURATOR, Role.AUDITOR]
EVERYONE = set(ROLES)
STAFF = {Role.OFFICER, Role.MANAGER, Role.MEMBER, Role.ADMIN}


@pytest.fixture
def world(make_idea, advance, manager, risk_ready):
    idea = make_idea()
    project = advance("implementation")
    milestone = services.milestone_add(
        actor=manager, project=project, title="Pilot", due_date=datetime.date(2030, 1, 1)
    )
    campaign = services.campaign_create(
        actor=manager,
        organisation=idea.organisation,
        title="Cleaner streets",
        question="How?",
        deadline=datetime.date(2099, 1, 1),
    )
    services.scorecard_assign(actor=manager, idea=idea, assessor=manager)
    decision = project.decisions.get()
    return {"idea": idea, "project": project, "milestone": milestone, "campaign": campaign, "decision": decision}


# (URL name, object key or None, roles allowed)
PAGES = [
    ("innovation:idea-list", None, EVERYONE),
    ("innovation:idea-create", None, STAFF),
    ("innovation:idea-detail", "idea", EVERYONE),
    ("innovation:idea-edit", "idea", {Role.OFFICER}),  # the author, an officer
    ("innovation:idea-screen", "idea", {Role.MANAGER}),
    ("innovation:idea-score", "idea", {Role.MANAGER}),  # the assigned assessor
    ("innovation:idea-accept", "idea", {Role.MANAGER}),
    ("innovation:idea-clarify", "idea", {Role.MANAGER}),
    ("innovation:idea-decline", "idea", {Role.MANAGER}),
    ("innovation:idea-merge", "idea", {Role.MANAGER}),
    ("innovation:campaign-list", None, EVERYONE),
    ("innovation:campaign-create", None, {Role.MANAGER}),
    ("innovation:campaign-detail", "campaign", EVERYONE),
    ("innovation:project-list", None, EVERYONE),
    ("innovation:pipeline", None, EVERYONE),
    ("innovation:awaiting-decision", None, {Role.MEMBER}),
    ("innovation:project-detail", "project", EVERYONE),
    ("innovation:project-edit", "project", {Role.MANAGER}),
    ("innovation:business-case-edit", "project", {Role.MANAGER}),
    ("innovation:project-sponsor", "project", {Role.MANAGER}),
    ("innovation:project-decide", "project", {Role.MEMBER}),
    ("innovation:project-progress", "project", {Role.MANAGER}),
    ("innovation:milestone-create", "project", {Role.MANAGER}),
    ("innovation:milestone-edit", "milestone", {Role.MANAGER}),
    ("innovation:team-member-add", "project", {Role.MANAGER}),
    ("innovation:involvement-create", "project", {Role.OFFICER, Role.MANAGER}),
    ("innovation:evaluation-edit", "project", {Role.MANAGER}),
    ("innovation:project-scale-up", "project", {Role.MANAGER}),
    ("innovation:evidence-gates", None, {Role.ADMIN}),
    ("innovation:project-submit", "project", {Role.MANAGER}),
    ("innovation:project-withdraw", "project", {Role.MANAGER}),
    ("innovation:project-reopen", "project", {Role.MANAGER}),
    ("innovation:project-start-evaluation", "project", {Role.MANAGER}),
    ("innovation:project-close", "project", {Role.MANAGER}),
    ("innovation:project-abandon", "project", {Role.MANAGER}),
    ("innovation:notification-settings", None, EVERYONE),
    # Records of decision: read by everyone who works in the organisation, auditors included.
    ("innovation:decision-list", None, EVERYONE),
    ("innovation:decision-detail", "decision", EVERYONE),
    ("innovation:decision-arrangement", None, {Role.ADMIN}),
]


def _url(name, key, world):
    if not key:
        return reverse(name)
    # An idea's pages are at its number in the organisation; everything else at its id.
    return reverse(name, args=[world[key].reference if key == "idea" else world[key].pk])


@pytest.mark.parametrize(("name", "key", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_each_role_gets_the_page_only_when_allowed(personas, world, name, key, allowed):
    url = _url(name, key, world)
    for role in ROLES:
        response = personas.client_for(personas.members[role]).get(url)
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, f"{role} got {response.status_code} for {url}"


@pytest.mark.parametrize(("name", "key", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_anonymous_visitors_are_sent_to_sign_in(personas, world, name, key, allowed):
    response = personas.client_for(None).get(_url(name, key, world))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.parametrize(("name", "key", "allowed"), [p for p in PAGES if p[1]], ids=[p[0] for p in PAGES if p[1]])
def test_another_organisations_manager_or_member_gets_404_for_our_objects(personas, world, name, key, allowed):
    for role in (Role.MANAGER, Role.MEMBER, Role.OFFICER):
        outsider = MembershipFactory(organisation=personas.other_council, role=role)
        response = personas.client_for(outsider).get(_url(name, key, world))
        assert response.status_code in (403, 404)
        if role in allowed:
            assert response.status_code == 404


def test_another_organisations_lists_show_none_of_ours(personas, world):
    client = personas.client_for(personas.outsider)
    for name in ("innovation:idea-list", "innovation:project-list", "innovation:campaign-list"):
        body = client.get(reverse(name)).content.decode()
        assert world["idea"].title not in body and world["campaign"].title not in body
        assert world["project"].title not in body


# ---------------------------------------------------------------- journeys through the pages


def test_an_officer_sees_likely_duplicates_before_saving_and_can_save_anyway(personas, make_idea, areas):
    make_idea(title="Text reminders for bin collection days", problem="Missed bin collections")
    client = personas.client_for(personas.members[Role.OFFICER])
    data = {
        "title": "Bin collection reminder texts",
        "problem": "People miss bin collection days",
        "proposal": "Texts",
        "service_areas": [areas[1].pk],
        "source": "staff",
    }
    response = client.post(reverse("innovation:idea-create"), data)
    assert response.status_code == 200
    assert "Ideas like yours" in response.content.decode()
    assert Idea.objects.count() == 1
    response = client.post(reverse("innovation:idea-create"), {**data, "seen_duplicates": "on"})
    assert response.status_code == 302 and Idea.objects.count() == 2


def test_a_missing_field_gives_a_govuk_error_and_saves_nothing(personas):
    client = personas.client_for(personas.members[Role.OFFICER])
    response = client.post(reverse("innovation:idea-create"), {"title": ""})
    body = response.content.decode()
    assert "There is a problem" in body and "Enter a title" in body
    assert not Idea.objects.exists()


def test_an_officer_cannot_set_the_stage_by_posting_it(personas, make_idea, areas):
    idea = make_idea()
    client = personas.client_for(personas.members[Role.OFFICER])
    client.post(
        reverse("innovation:idea-edit", args=[idea.reference]),
        {
            "title": "T",
            "problem": "P",
            "proposal": "Q",
            "service_areas": [areas[0].pk],
            "source": "staff",
            "version": idea.version,
            "stage": "accepted",
        },
    )
    idea.refresh_from_db()
    assert idea.title == "T" and idea.stage == IdeaStage.SUBMITTED


def test_a_manager_accepts_an_idea_from_the_screening_pages(personas, make_idea, manager):
    idea = make_idea()
    client = personas.client_for(personas.members[Role.MANAGER])
    response = client.post(reverse("innovation:idea-accept", args=[idea.reference]), {"owner": manager.pk})
    project = Project.objects.get(idea=idea)
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()


def test_submitting_without_a_risk_assessment_shows_why_and_changes_nothing(personas, advance):
    project = advance("ready")
    client = personas.client_for(personas.members[Role.MANAGER])
    response = client.post(reverse("innovation:project-submit", args=[project.pk]), {"comment": ""})
    assert response.status_code == 200
    assert "Complete the risk assessment" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == ProjectStage.ASSESSMENT


def test_the_second_person_saving_the_business_case_is_told_and_nothing_is_overwritten(personas, advance):
    project = advance("ready")
    opened_at = project.business_case.version
    client = personas.client_for(personas.members[Role.MANAGER])
    url = reverse("innovation:business-case-edit", args=[project.pk])

    def form(summary):
        data = {"summary": summary, "recommended_option": "innovate", "version": opened_at}
        for kind, figures in OPTIONS.items():
            for name, value in figures.items():
                data[f"{kind}-{name}"] = value
        return data

    assert client.post(url, form("First person’s case")).status_code == 302
    response = client.post(url, form("Second person’s case"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved changes" in body and "First person’s case" in body
    assert "Second person’s case" in body  # what they typed is kept in the form
    project.business_case.refresh_from_db()
    assert project.business_case.summary == "First person’s case"


def test_a_member_approves_with_a_rationale_and_must_tick_to_accept_excess_risk(personas, advance, risk_ready):
    project = advance("awaiting_approval")
    risk_ready.exceeds_appetite = True
    client = personas.client_for(personas.members[Role.MEMBER])
    url = reverse("innovation:project-decide", args=[project.pk])
    form = {
        "outcome": "approved",
        "rationale": "Good",
        "interest": "none",
        "reason_incremental": "Too slow.",
        "reason_do_nothing": "The gap widens.",
    }
    response = client.post(url, form)
    assert "accept that risk" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == ProjectStage.AWAITING_APPROVAL
    response = client.post(url, {**form, "accept_residual_risk": "on"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == ProjectStage.IMPLEMENTATION
    page = client.get(project.get_absolute_url()).content.decode()
    assert "explicitly accepted" in page and "Good" in page


def test_the_project_page_tells_its_whole_story(personas, advance, manager, risk_ready):
    project = advance("evaluation")
    services.evaluation_save(
        actor=manager,
        project=project,
        outcome="partly_succeeded",
        summary="Half the estates used it",
        actual_one_off_cost=Decimal(1),
        actual_running_cost=Decimal(1),
        actual_benefit=Decimal(1),
        value_for_money="Fair",
        transferability=4,
        transferability_reasons="Simple to copy",
        evidence_level=1,
        evidence_support="A theory of change",
    )
    body = personas.client_for(personas.members[Role.AUDITOR]).get(project.get_absolute_url()).content.decode()
    expected_parts = (
        "Partly succeeded",
        "Approved",
        "£11,000",
        "Awaiting approval",
        "Implementation",
        "Time in each stage",
    )
    for expected in expected_parts:
        assert expected in body


# ---------------------------------------------------------------- constant query counts


def _many_ideas(personas, areas, n):
    from tests.factories import IdeaFactory, UserFactory

    author = UserFactory()
    for _ in range(n):
        idea = IdeaFactory(organisation=personas.council, author=author)
        idea.service_areas.set(areas)


def _count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_a_portfolio_row_shows_areas_people_stage_and_rag(personas, areas, manager, member):
    from tests.factories import ProjectFactory

    live = ProjectFactory(
        organisation=personas.council, owner=manager, sponsor=member, rag="amber", title="Live & <well>"
    )
    live.service_areas.set(areas[:2])
    ProjectFactory(organisation=personas.council, owner=manager, stage=ProjectStage.CLOSED, title="Finished")
    page = personas.client_for(personas.members[Role.OFFICER]).get(reverse("innovation:project-list")).content.decode()
    rows = dict(re.findall(r'<a class="govuk-link" href="[^"]+">([^<]+)</a></td>(.*?)</tr>', page, flags=re.DOTALL))
    assert f'href="{live.get_absolute_url()}">Live &amp; &lt;well&gt;</a>' in page
    cells = re.findall(r'<td class="govuk-table__cell">(.*?)</td>', rows["Live &amp; &lt;well&gt;"], flags=re.DOTALL)
    area_names = ", ".join(sorted(area.name for area in areas[:2]))
    # The people's names as the page escapes them (a generated name may hold an apostrophe).
    assert cells == [escape(area_names), escape(str(manager)), escape(str(member)),
                     '<strong class="govuk-tag">Assessment</strong>', "Amber: at risk"]  # fmt: skip
    cells = re.findall(r'<td class="govuk-table__cell">(.*?)</td>', rows["Finished"], flags=re.DOTALL)
    assert cells[2:] == ["None yet", '<strong class="govuk-tag govuk-tag--grey">Closed</strong>', "–"]


@pytest.mark.parametrize("name", ["innovation:idea-list", "innovation:project-list", "innovation:awaiting-decision"])
def test_lists_cost_the_same_number_of_queries_whatever_their_length(
    personas, areas, name, django_assert_num_queries, django_assert_max_num_queries, member, manager
):
    from tests.factories import ProjectFactory

    client = personas.client_for(personas.members[Role.MEMBER])
    url = reverse(name)

    def grow(n):
        _many_ideas(personas, areas, n)
        for _ in range(n):
            project = ProjectFactory(
                organisation=personas.council, owner=manager, sponsor=member, stage=ProjectStage.AWAITING_APPROVAL
            )
            project.service_areas.set(areas)

    grow(3)
    client.get(url)  # the session's first request records its sign-in time
    few = _count_queries(client, url, django_assert_max_num_queries, 30)
    grow(40)
    client.get(url)  # the header's unread count is counted afresh once after notices
    with django_assert_num_queries(few):
        assert client.get(url).status_code == 200


def test_the_second_person_saving_an_idea_is_told_and_can_then_save_knowingly(personas, make_idea, areas):
    idea = make_idea()
    client = personas.client_for(personas.members[Role.OFFICER])
    url = reverse("innovation:idea-edit", args=[idea.reference])
    data = {"problem": "P", "proposal": "Q", "service_areas": [areas[0].pk], "source": "staff", "version": 1}
    assert client.post(url, {**data, "title": "From the first tab"}).status_code == 302
    response = client.post(url, {**data, "title": "From the second tab"})
    assert "Someone else saved changes" in response.content.decode()
    idea.refresh_from_db()
    assert idea.title == "From the first tab"
    assert client.post(url, {**data, "title": "From the second tab", "version": idea.version}).status_code == 302


def test_each_assessors_score_and_notes_are_seen_only_by_them_and_the_lead(personas, make_idea, manager, officer):
    lead = MembershipFactory(organisation=personas.council, role=Role.MANAGER)
    idea = make_idea()
    services.scorecard_assign(actor=manager, idea=idea, assessor=lead.user, lead=True)
    services.scorecard_assign(actor=manager, idea=idea, assessor=officer)
    criteria = services.criteria_ensure_defaults(organisation=personas.council)
    services.scorecard_submit(actor=officer, idea=idea, scores={c.pk: 2 for c in criteria}, notes="Too costly")
    url = reverse("innovation:idea-screen", args=[idea.reference])
    as_lead = personas.client_for(lead).get(url).content.decode()
    as_other_manager = personas.client_for(personas.members[Role.MANAGER]).get(url).content.decode()
    assert "Too costly" in as_lead and "scored 2.00" in as_lead
    assert "Too costly" not in as_other_manager and "scored 2.00" not in as_other_manager
    assert "Weighted average" in as_other_manager


def test_logging_an_idea_from_the_gap_report_starts_with_that_indicator_chosen(personas):
    indicator = Indicator.objects.create(
        code="TEST-RECYCLING",
        name="Household waste recycled",
        unit="%",
        polarity=1,
        frequency="quarterly",
        service="waste",
    )
    client = personas.client_for(personas.members[Role.OFFICER])
    body = client.get(reverse("innovation:idea-create"), {"indicator": "TEST-RECYCLING"}).content.decode()
    assert f'<option value="{indicator.pk}" selected>' in body
    unknown = client.get(reverse("innovation:idea-create"), {"indicator": "NO-SUCH-CODE"})
    assert unknown.status_code == 200
    assert "selected>Household waste recycled" not in unknown.content.decode()
