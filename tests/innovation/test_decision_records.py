"""Records of decision (issue 18, part 1): every decision at the approval gate is kept as a record
a monitoring officer, an auditor and a scrutiny committee would accept: who decided, the reasons,
the options rejected and why, interests declared and dispensations granted, the risk accepted and
the documents relied on. A sponsor may not decide alone; a committee needs its quorum; a record
is never changed."""

import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Role
from innovation import services
from innovation.models import Decision, DecisionArrangement, DecisionMaker, DecisionRecordImmutable, ProjectStage
from tests.factories import MembershipFactory

REASONS = {"incremental": "Too slow to close the gap.", "do_nothing": "The gap would widen."}
APPROVAL_FORM = {
    "outcome": "approved",
    "rationale": "Good value for residents.",
    "interest": "none",
    "reason_incremental": REASONS["incremental"],
    "reason_do_nothing": REASONS["do_nothing"],
}


def _member(personas, name):
    return MembershipFactory(organisation=personas.council, role=Role.MEMBER, user__full_name=name).user


def _committee(personas, admin_user, members, *, quorum):
    return services.decision_arrangement_save(
        actor=admin_user,
        organisation=personas.council,
        made_by="committee",
        committee_name="Innovation Committee",
        members=members,
        quorum=quorum,
    )


# ---------------------------------------------------------------- single member


def test_the_sponsor_alone_cannot_approve_their_own_project(personas, advance, manager, sponsor, risk_ready):
    project = advance("awaiting_approval")
    with pytest.raises(services.InnovationError, match="You sponsor this project"):
        services.project_approve(actor=sponsor, project=project, rationale="Mine, and good.")
    project.refresh_from_db()
    assert project.stage == ProjectStage.AWAITING_APPROVAL and not Decision.objects.exists()

    # The page says why, and keeps what the sponsor typed.
    sponsors_membership = personas.council.memberships.get(user=sponsor)
    client = personas.client_for(sponsors_membership)
    response = client.post(reverse("innovation:project-decide", args=[project.pk]), APPROVAL_FORM)
    body = response.content.decode()
    assert "There is a problem" in body and "You sponsor this project, so you may not be its only" in body
    assert "Good value for residents." in body
    assert not Decision.objects.exists()


def test_the_decision_form_requires_the_declaration_and_the_reasons_each_option_is_rejected(
    personas, advance, risk_ready
):
    project = advance("awaiting_approval")
    client = personas.client_for(personas.members[Role.MEMBER])
    url = reverse("innovation:project-decide", args=[project.pk])
    response = client.post(url, {"outcome": "approved", "rationale": "Fine", "interest": "declared"})
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Describe the interest you declared" in body
    assert "Enter why the option “improve incrementally” is rejected" in body
    assert "Enter why the option “do nothing” is rejected" in body
    response = client.post(url, {"outcome": "approved", "rationale": "Fine"})
    assert "Select whether you have an interest to declare" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_member_with_an_interest_and_no_dispensation_may_not_decide(personas, advance, risk_ready):
    project = advance("awaiting_approval")
    client = personas.client_for(personas.members[Role.MEMBER])
    response = client.post(
        reverse("innovation:project-decide", args=[project.pk]),
        {**APPROVAL_FORM, "interest": "declared", "interest_description": "My partner works for the supplier"},
    )
    assert "no dispensation is recorded, so you may not take this decision" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_declared_interest_and_its_dispensation_appear_on_the_record(personas, advance, member, risk_ready):
    project = advance("awaiting_approval")
    client = personas.client_for(personas.members[Role.MEMBER])
    response = client.post(
        reverse("innovation:project-decide", args=[project.pk]),
        {
            **APPROVAL_FORM,
            "interest": "declared",
            "interest_description": "My partner works for the supplier",
            "dispensation_by": "the Monitoring Officer",
            "dispensation_date": "2026-11-20",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(project=project)
    maker = decision.makers.get()
    assert (maker.member, maker.role, maker.interest, maker.took_part) == (member, "Portfolio holder", "declared", True)
    assert decision.chosen_option == "innovate"
    assert [(row["label"], row["reason"]) for row in decision.options_rejected] == [
        ("Improve incrementally", REASONS["incremental"]),
        ("Do nothing", REASONS["do_nothing"]),
    ]
    # The business case's net values as the fixture's figures give them (benefit × years −
    # one-off − running × years): incremental 1,500 × 3 − 1,000 − 500 × 3 = 2,000; do nothing 0.
    assert [row["net_value"] for row in decision.options_rejected] == ["2000.00", "0.00"]
    page = client.get(reverse("innovation:decision-detail", args=[decision.pk])).content.decode()
    assert f"Record of decision {decision.reference}" in page
    assert f"{member.full_name}, Portfolio holder" in page
    assert "declared an interest: My partner works for the supplier" in page
    assert "Granted by the Monitoring Officer on 20 November 2026" in page
    assert "Too slow to close the gap." in page and "Business case, version 1" in page
    # Listed on the project page, which links to it.
    project_page = client.get(project.get_absolute_url()).content.decode()
    assert reverse("innovation:decision-detail", args=[decision.pk]) in project_page


def test_rejecting_records_why_innovating_is_rejected(personas, advance, risk_ready):
    project = advance("awaiting_approval")
    client = personas.client_for(personas.members[Role.MEMBER])
    client.post(
        reverse("innovation:project-decide", args=[project.pk]),
        {"outcome": "rejected", "rationale": "Not now.", "interest": "none", "reason_innovate": "Supplier unproven."},
    )
    decision = Decision.objects.get(project=project)
    assert decision.outcome == "rejected" and decision.chosen_option == ""
    assert [(row["kind"], row["reason"]) for row in decision.options_rejected] == [("innovate", "Supplier unproven.")]


# ---------------------------------------------------------------- immutability and supersession


def test_a_decision_record_can_be_neither_changed_nor_deleted(advance, member, risk_ready):
    project = advance("implementation")
    decision = Decision.objects.get(project=project)
    decision.rationale = "Rewritten later"
    with pytest.raises(DecisionRecordImmutable):
        decision.save()
    with pytest.raises(DecisionRecordImmutable):
        decision.delete()
    maker = decision.makers.get()
    with pytest.raises(DecisionRecordImmutable):
        maker.delete()
    decision.refresh_from_db()
    assert decision.rationale == "Good value."
    # The operators' admin shows it read-only.
    model_admin = admin.site._registry[Decision]
    request = RequestFactory().get("/")
    assert not model_admin.has_change_permission(request, decision)
    assert not model_admin.has_delete_permission(request, decision)
    assert not admin.site._registry[DecisionMaker].has_change_permission(request, maker)


def test_a_later_decision_is_a_new_record_that_supersedes_the_earlier(personas, advance, manager, member, risk_ready):
    project = advance("awaiting_approval")
    project = services.project_defer(actor=member, project=project, rationale="Come back after the budget.")
    project = services.project_reopen(actor=manager, project=project)
    project = services.project_submit_for_approval(actor=manager, project=project)
    services.project_approve(actor=member, project=project, rationale="Now affordable.")
    deferred, approved = Decision.objects.filter(project=project).order_by("created_at", "pk")
    assert approved.supersedes == deferred
    assert deferred.options_rejected == []  # sent back: every option still open
    client = personas.client_for(personas.members[Role.AUDITOR])
    page = client.get(reverse("innovation:decision-detail", args=[deferred.pk])).content.decode()
    assert "superseded by" in page and approved.reference in page
    page = client.get(reverse("innovation:decision-detail", args=[approved.pk])).content.decode()
    assert f"Decision {deferred.reference}" in page


# ---------------------------------------------------------------- committees


def test_a_committee_below_quorum_is_refused_and_the_sponsor_does_not_count(
    personas, advance, member, sponsor, risk_ready
):
    admin_user = personas.members[Role.ADMIN].user
    third = _member(personas, "Cllr Ada Third")
    _committee(personas, admin_user, [member, sponsor, third], quorum=3)
    project = advance("awaiting_approval")
    everyone = [
        services.Declaration(member=member),
        services.Declaration(member=sponsor),
        services.Declaration(member=third),
    ]
    # All three present, but the sponsor does not count: 2 of 3.
    with pytest.raises(services.InnovationError, match="not quorate: 2 of the 3"):
        services.project_approve(actor=member, project=project, rationale="Yes", declarations=everyone)
    assert not Decision.objects.exists()


def test_a_quorate_committee_records_who_was_present_and_who_took_part(personas, advance, member, sponsor, risk_ready):
    admin_user = personas.members[Role.ADMIN].user
    second, conflicted, absent = (_member(personas, name) for name in ("Cllr Bea Two", "Cllr Cy Three", "Cllr Di Four"))
    _committee(personas, admin_user, [member, sponsor, second, conflicted, absent], quorum=2)
    project = advance("awaiting_approval")
    client = personas.client_for(personas.members[Role.MEMBER])
    url = reverse("innovation:project-decide", args=[project.pk])
    page = client.get(url).content.decode()
    assert "Innovation Committee" in page and "Cllr Di Four was present" in page
    form = {
        "outcome": "approved",
        "rationale": "Agreed.",
        "reason_incremental": "Too slow.",
        "reason_do_nothing": "Gap widens.",
    }
    for person in (member, sponsor, second, conflicted):
        form[f"present_{person.pk}"] = "on"
        form[f"interest_{person.pk}"] = "none"
    form[f"interest_{conflicted.pk}"] = "declared"
    form[f"interest_description_{conflicted.pk}"] = "Owns shares in the supplier"
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get(project=project)
    assert (decision.made_by, decision.committee_name, decision.quorum) == ("committee", "Innovation Committee", 2)
    took_part = {maker.member: (maker.present, maker.took_part) for maker in decision.makers.all()}
    assert took_part == {
        member: (True, True),
        second: (True, True),
        sponsor: (True, False),
        conflicted: (True, False),
        absent: (False, False),
    }
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "Cllr Cy Three declared an interest: Owns shares in the supplier" in page
    assert "No dispensation: did not take part" in page
    assert "the project’s sponsor, so did not take part" in page
    assert "Absent" in page


# ---------------------------------------------------------------- arrangements and reading


def test_the_admin_sets_a_committee_and_is_told_what_is_missing(personas, member):
    client = personas.client_for(personas.members[Role.ADMIN])
    url = reverse("innovation:decision-arrangement")
    response = client.post(url, {"made_by": "committee", "quorum": "2", "members": [member.pk]})
    body = response.content.decode()
    assert "govuk-error-summary" in body and "Enter the name of the committee" in body
    assert "Choose at least as many members as the quorum (2)" in body
    assert not DecisionArrangement.objects.exists()
    second = _member(personas, "Cllr Bea Two")
    response = client.post(
        url,
        {
            "made_by": "committee",
            "committee_name": "Cabinet",
            "quorum": "2",
            "members": [member.pk, second.pk],
            "publish_decisions": "on",
        },
    )
    assert response.status_code == 302
    arrangement = DecisionArrangement.objects.get(organisation=personas.council)
    assert arrangement.committee_name == "Cabinet" and arrangement.publish_decisions
    assert set(arrangement.committee_members.all()) == {member, second}


def test_someone_who_is_not_an_elected_member_cannot_be_put_on_the_committee(personas):
    client = personas.client_for(personas.members[Role.ADMIN])
    officer = personas.members[Role.OFFICER].user
    response = client.post(
        reverse("innovation:decision-arrangement"),
        {"made_by": "committee", "committee_name": "Cabinet", "quorum": "1", "members": [officer.pk]},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not DecisionArrangement.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.AUDITOR, 200), (Role.OFFICER, 200), (Role.MEMBER, 200), (Role.ADMIN, 200), (Role.PARTNER, 403)],
)
def test_who_reads_a_record_of_decision_and_its_pdf(personas, advance, risk_ready, role, status):
    project = advance("implementation")
    decision = Decision.objects.get(project=project)
    client = personas.client_for(personas.members[role])
    for url in (
        reverse("innovation:decision-detail", args=[decision.pk]),
        reverse("reports:decision-pdf", args=[decision.pk]),
        reverse("innovation:decision-list"),
    ):
        assert client.get(url).status_code == status, url


def test_another_authoritys_decision_is_a_404_on_every_page(personas, advance, risk_ready):
    project = advance("implementation")
    decision = Decision.objects.get(project=project)
    DecisionArrangement.objects.create(organisation=personas.council, publish_decisions=True)
    DecisionArrangement.objects.create(organisation=personas.other_council, publish_decisions=True)
    outsider = personas.client_for(personas.outsider)
    for url in (
        reverse("innovation:decision-detail", args=[decision.pk]),
        reverse("reports:decision-pdf", args=[decision.pk]),
        reverse("public:decision", args=[personas.other_council.pk, decision.pk]),
    ):
        assert outsider.get(url).status_code == 404, url
    # Its own organisation's public page shows it.
    assert outsider.get(reverse("public:decision", args=[personas.council.pk, decision.pk])).status_code == 200


def test_the_public_pages_exist_only_while_the_organisation_publishes(personas, advance, manager, member, risk_ready):
    project = advance("implementation")
    decision = Decision.objects.get(project=project)
    anonymous = personas.client_for(None)
    urls = [
        reverse("public:decisions", args=[personas.council.pk]),
        reverse("public:decision", args=[personas.council.pk, decision.pk]),
    ]
    assert [anonymous.get(url).status_code for url in urls] == [404, 404]
    DecisionArrangement.objects.create(organisation=personas.council, publish_decisions=True)
    pages = [anonymous.get(url) for url in urls]
    assert [page.status_code for page in pages] == [200, 200]
    detail = pages[1].content.decode()
    assert "Record of decision" in detail and member.full_name in detail and "Portfolio holder" in detail
    # No personal data beyond the decision-makers' names and roles: not the owner, not emails.
    assert manager.full_name not in detail and manager.email not in detail and member.email not in detail
    assert "Recorded by" not in detail


def test_services_default_to_the_actor_alone_with_no_interest(advance, member, risk_ready):
    project = advance("implementation")
    decision = Decision.objects.get(project=project)
    maker = decision.makers.get()
    assert (maker.member, maker.interest, maker.present, maker.took_part) == (member, "none", True, True)
    assert decision.made_by == "member" and decision.created_at.date() == datetime.date.today()
