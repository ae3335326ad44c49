"""One access rule, one refusal: whichever app refuses, the person sees the same 403 page,
saying why in plain English; and one list of an organisation's people in given roles."""

import pytest
import rules
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from accounts import access
from accounts import queries as accounts_queries
from accounts import rules as accounts_rules
from accounts.models import Role
from tests.factories import IdeaFactory, MembershipFactory, ProjectFactory


def _person_detail(personas):
    return "get", reverse("accounts:person-detail", args=[personas.members[Role.ADMIN].pk])


def _idea_edit(personas):
    idea = IdeaFactory(organisation=personas.council, author=personas.members[Role.MANAGER].user)
    return "get", reverse("innovation:idea-edit", args=[idea.reference])


def _capacity_scores(personas):
    return "post", reverse("portfolio:capacity")


def _risk_register_of_another_team(personas):
    project = ProjectFactory(organisation=personas.council, owner=personas.members[Role.MANAGER].user)
    return "get", reverse("risk:project-register", args=[project.pk])


def _lesson_create(personas):
    return "get", reverse("sharing:lesson-create")


def _schedules(personas):
    return "get", reverse("reports:schedules")


# One refusal from each app, for an officer of the council: (app, page, the reason it gives).
REFUSALS = [
    ("accounts", _person_detail, "Only admins and auditors can see the organisation’s people."),
    ("innovation", _idea_edit, "Only the idea’s author can change it, and only until screening starts."),
    ("portfolio", _capacity_scores, "Only managers and elected members score the organisation’s capacity to innovate."),
    (
        "risk",
        _risk_register_of_another_team,
        "Officers see only the risks of projects they work on and the risks they own.",
    ),
    ("sharing", _lesson_create, "Only managers and admins write lessons."),
    ("reports", _schedules, "Only admins schedule emailed reports."),
]


@pytest.mark.parametrize(("app", "page", "reason"), REFUSALS, ids=[app for app, _, _ in REFUSALS])
def test_a_refusal_from_any_app_is_the_same_403_page_saying_why(personas, app, page, reason):
    method, url = page(personas)
    client = personas.client_for(personas.members[Role.OFFICER])

    response = getattr(client, method)(url)

    assert response.status_code == 403
    assert [t.name for t in response.templates][0] == "403.html"
    body = response.content.decode()
    assert '<h1 class="govuk-heading-l">You cannot do this</h1>' in body
    assert reason in body
    assert "Your role in Ashby Vale District Council does not allow it." in body
    assert "ask a Lantern admin at your organisation" in body


def test_a_service_refusal_says_why_whoever_calls_it(personas):
    officer = personas.members[Role.OFFICER].user

    with pytest.raises(access.Refused) as refused:
        access.require(officer, "risk.set_appetite", personas.council)

    assert refused.value.reason == "Only admins set the risk appetite."


def test_the_api_gives_the_same_reason_as_the_page(personas):
    client = personas.client_for(personas.members[Role.AUDITOR])

    response = client.post(reverse("api:idea-list"), {"title": "A kiosk"}, content_type="application/json")

    assert response.status_code == 403
    assert response.json()["detail"] == "Only officers, managers, elected members and admins log ideas."


def test_a_template_asks_the_same_rule_as_the_page_it_links_to(personas):
    template = Template('{% load access %}{% may "sharing.write_lesson" as can_write %}{{ can_write|yesno:"link," }}')
    shown = {}
    for role in (Role.MANAGER, Role.OFFICER):
        request = RequestFactory().get("/")
        request.user = personas.members[role].user
        request.organisation = personas.council
        shown[role] = template.render(Context({"request": request}))
    assert shown == {Role.MANAGER: "link", Role.OFFICER: ""}


def test_people_in_roles_are_those_working_there_now_in_those_roles(personas):
    left = MembershipFactory(organisation=personas.council, role=Role.MEMBER, is_active=False)
    locked_out = MembershipFactory(organisation=personas.council, role=Role.MEMBER)
    locked_out.user.is_active = False
    locked_out.user.save()
    MembershipFactory(organisation=personas.other_council, role=Role.MEMBER)

    people = accounts_queries.people_in_roles(organisation=personas.council, roles=[Role.MEMBER, Role.ADMIN])

    assert set(people) == {personas.members[Role.MEMBER].user, personas.members[Role.ADMIN].user}
    assert left.user not in people


def test_a_rule_added_is_asked_and_refused_with_its_own_reason(personas):
    """add_rule registers the permission and the words a refused person reads."""
    admin = personas.members[Role.ADMIN].user
    officer = personas.members[Role.OFFICER].user
    access.add_rule("tests.probe_rule", rules.is_group_member("nobody") | accounts_rules.is_admin, "Only admins probe.")
    try:
        assert access.may(admin, "tests.probe_rule", personas.council)
        assert not access.may(officer, "tests.probe_rule", personas.council)
        with pytest.raises(access.Refused) as refused:
            access.require(officer, "tests.probe_rule", personas.council)
        assert refused.value.reason == "Only admins probe."
    finally:
        rules.remove_perm("tests.probe_rule")
        access._REASONS.pop("tests.probe_rule", None)


def test_an_officer_on_the_project_team_reaches_its_risks_controls_and_comments_and_others_do_not(personas):
    """The risk rules find the project from a risk, its assessment, a control or a comment."""
    from innovation.models import TeamMember
    from risk import services as risk_services

    manager = personas.members[Role.MANAGER].user
    officer = personas.members[Role.OFFICER].user
    project = ProjectFactory(organisation=personas.council, owner=manager)
    risk = risk_services.risk_create(
        actor=manager,
        project=project,
        title="Supplier cannot deliver on time",
        category="delivery",
        owner=manager,
        inherent_likelihood=4,
        inherent_impact=4,
        residual_likelihood=2,
        residual_impact=3,
    )
    control = risk_services.control_add(actor=manager, risk=risk, description="Second supplier on standby")
    comment = risk_services.risk_comment_add(actor=manager, risk=risk, body="Ask procurement")
    targets = [project, risk.assessment, risk, control, comment]

    assert [access.may(officer, "risk.view_risks", t) for t in targets] == [False] * 5

    TeamMember.objects.create(organisation=personas.council, project=project, name="O", department="D", user=officer)

    assert [access.may(officer, "risk.view_risks", t) for t in targets] == [True] * 5
    # Anything that is none of these (an idea has a stage but no team) belongs to no project's team.
    assert not access.may(officer, "risk.view_risks", personas.council)
    assert not access.may(officer, "risk.view_risks", IdeaFactory(organisation=personas.council, author=manager))


def test_rows_of_another_organisation_named_in_a_change_are_refused(personas):
    own = ProjectFactory(organisation=personas.council)
    other = ProjectFactory(organisation=personas.other_council)

    access.require_same_organisation(personas.council, own, None)
    with pytest.raises(access.Refused) as refused:
        access.require_same_organisation(personas.council, own, other)
    # A forged post is given no particular reason: the page says only that the role does not allow it.
    assert (refused.value.reason, str(refused.value)) == ("", access.NOT_ALLOWED)
    with pytest.raises(access.Refused):
        access.require_same_organisation(personas.council, other, own)


def test_a_permission_added_without_a_reason_is_refused_without_one(personas):
    officer = personas.members[Role.OFFICER].user
    rules.add_perm("tests.no_reason", rules.always_deny)
    try:
        with pytest.raises(access.Refused) as refused:
            access.require(officer, "tests.no_reason", personas.council)
        assert (refused.value.reason, str(refused.value)) == ("", access.NOT_ALLOWED)
    finally:
        rules.remove_perm("tests.no_reason")
