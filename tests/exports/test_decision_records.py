"""A member's decision on the demo data becomes a record of decision that reads like a council's:
its PDF, its public page, the records export, the API and the committee pack (issue 18, part 1)."""

import datetime
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import demo
from accounts.models import Membership, User
from innovation.models import Decision, Project, ProjectStage
from reports import committee_pack
from reports.models import ExportJob
from tests.api.conftest import api_client_for
from tests.exports.conftest import read_csv
from tests.exports.pdf_checks import tagging_faults

pypdf = pytest.importorskip("pypdf")
pytestmark = pytest.mark.django_db

DECISION = {
    "outcome": "approved",
    "rationale": "Reablement at home frees hospital beds and costs less than residential care.",
    "interest": "declared",
    "interest_description": "My sister is a reablement worker employed by the council",
    "dispensation_by": "the Monitoring Officer",
    "dispensation_date": "2026-11-30",
    "reason_incremental": "Extending the existing visits closes too little of the delayed-discharge gap.",
    "reason_do_nothing": "Delayed discharges would keep rising, the risk the assessment scores highest.",
}


@pytest.fixture
def decided(settings):
    """The demo data, and Ashby's member deciding the project awaiting approval through the form."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    member = User.objects.get(email=demo.demo_email("ashby", "member"))
    membership = Membership.objects.get(user=member, organisation__name="Ashby Vale District Council")
    project = Project.objects.get(
        organisation=membership.organisation, title="Reablement at home after hospital discharge"
    )
    assert project.stage == ProjectStage.AWAITING_APPROVAL
    from tests.conftest import Personas

    client = Personas.client_for(None, membership)
    response = client.post(reverse("innovation:project-decide", args=[project.pk]), DECISION)
    assert response.status_code == 302, response.content.decode()
    return client, membership, Decision.objects.filter(project=project).get()


def _flat(text: str) -> str:
    return " ".join(text.split())


def _the_pdf_reads_like_a_councils_record_of_decision(decided):
    client, membership, decision = decided
    response = client.get(reverse("reports:decision-pdf", args=[decision.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert f"record-of-decision-{decision.reference}.pdf" in response["Content-Disposition"]
    assert tagging_faults(response.content) == []
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = _flat("\n".join(page.extract_text() for page in reader.pages))
    today = timezone.localdate()
    for expected in (
        "Ashby Vale District Council",
        f"Record of decision {decision.reference}",
        "Subject Project",
        "Reablement at home after hospital discharge",
        "Decision taken by Cllr Helen Price, Portfolio holder",
        f"Date of decision {today.day} {today:%B %Y}",
        "Approved. To approve the project for implementation.",
        "Reasons for the decision",
        "Reablement at home frees hospital beds",
        "Alternative options considered and rejected",
        "Option taken: innovate.",
        "Improve incrementally",
        "Extending the existing visits closes too little",
        "Do nothing",
        "Declarations of interest",
        "Cllr Helen Price declared an interest: My sister is a reablement worker employed by the council.",
        "Dispensations granted",
        "Granted by the Monitoring Officer on 30 November 2026",
        "Documents relied on",
        "Business case, version 1",
        "Risk assessment",
    ):
        assert expected in text, expected


def _the_public_page_reads_like_a_councils_and_names_only_the_decision_makers(decided):
    client, membership, decision = decided
    anonymous = type(client)()
    listing = anonymous.get(reverse("public:decisions", args=[membership.organisation_id])).content.decode()
    assert "Records of decision" in listing and "Reablement at home after hospital discharge" in listing
    page = anonymous.get(reverse("public:decision", args=[membership.organisation_id, decision.pk]))
    body = page.content.decode()
    for expected in (
        "Record of decision",
        "Cllr Helen Price, Portfolio holder",
        "Alternative options considered and rejected",
        "My sister is a reablement worker employed by the council",
        "Granted by the Monitoring Officer on 30 November 2026",
    ):
        assert expected in body, expected
    # Nobody else: not the project's owner (Tom Okafor), its sponsor or anyone's email.
    for absent in ("Tom Okafor", "Cllr Owen Hughes", "@ashby.example", "Recorded by"):
        assert absent not in body, absent
    # Kingsmere does not publish its records.
    kingsmere = membership.organisation.__class__.objects.get(name="Kingsmere Council")
    assert anonymous.get(reverse("public:decisions", args=[kingsmere.pk])).status_code == 404


def _the_demo_has_realistic_historic_records(decided):
    _, membership, _ = decided
    historic = Decision.objects.for_organisation(membership.organisation).exclude(
        project__title="Reablement at home after hospital discharge"
    )
    assert historic.count() >= 4
    assert all(decision.makers.exists() and decision.documents for decision in historic)
    approved = historic.filter(outcome="approved").first()
    assert [row["label"] for row in approved.options_rejected] == ["Improve incrementally", "Do nothing"]
    assert historic.filter(makers__interest="declared", makers__dispensation_granted_by__gt="").exists()


def _the_export_and_the_api_carry_the_record(decided, django_capture_on_commit_callbacks):
    client, membership, decision = decided
    admin = Membership.objects.get(user__email=demo.demo_email("ashby", "admin"), organisation=membership.organisation)
    from tests.conftest import Personas

    admin_client = Personas.client_for(None, admin)
    rows = read_csv(
        admin_client.post(reverse("reports:export-take", args=["decisions"]), {"format": "csv", "mode": "immediate"})
    )
    header, *records = rows
    row = dict(zip(header, [r for r in records if r[0] == decision.reference][0], strict=True))
    assert row["decision"] == "Approved" and row["decision_taken_by"] == "Cllr Helen Price, Portfolio holder"
    assert row["options_rejected"].startswith("Improve incrementally: Extending the existing visits")
    assert row["interests_declared"] == "Cllr Helen Price: My sister is a reablement worker employed by the council"
    assert row["dispensations"] == "Cllr Helen Price: Granted by the Monitoring Officer on 30 November 2026"

    auditor = Membership.objects.get(
        user__email=demo.demo_email("ashby", "auditor"), organisation=membership.organisation
    )
    body = api_client_for(auditor).get(reverse("api:decision-detail", args=[decision.pk])).json()
    assert body["reference"] == decision.reference and body["outcome"] == "approved"
    assert body["decision_makers"][0]["name"] == "Cllr Helen Price"
    assert [o["label"] for o in body["options_rejected"]] == ["Improve incrementally", "Do nothing"]
    assert body["interests"][0]["description"] == "My sister is a reablement worker employed by the council"
    other = Membership.objects.get(
        user__email=demo.demo_email("kingsmere", "auditor"), organisation__name="Kingsmere Council"
    )
    assert api_client_for(other).get(reverse("api:decision-detail", args=[decision.pk])).status_code == 404


def _the_committee_pack_lists_the_decisions_since_the_last_meeting(decided):
    _, membership, decision = decided
    admin = User.objects.get(email=demo.demo_email("ashby", "admin"))
    today = timezone.localdate()
    earlier = ExportJob.objects.create(
        organisation=membership.organisation,
        export=committee_pack.NAME,
        format="pdf",
        mode="background",
        filters={"committee": "Cabinet", "meeting_date": (today - datetime.timedelta(days=1)).isoformat()},
    )
    job = ExportJob.objects.create(
        organisation=membership.organisation,
        export=committee_pack.NAME,
        format="pdf",
        mode="background",
        requested_by=admin,
        filters={"committee": "Cabinet", "meeting_date": (today + datetime.timedelta(days=14)).isoformat()},
    )
    since = committee_pack.last_meeting_before(organisation=membership.organisation, job=job)
    assert since == today - datetime.timedelta(days=1)
    pack = committee_pack.pack_gather(
        organisation=membership.organisation,
        user=admin,
        committee="Cabinet",
        meeting_date=today + datetime.timedelta(days=14),
        since=since,
    )
    # Only today's decision: the demo's historic ones were all taken before the last meeting.
    assert [line.reference for line in pack.decisions] == [decision.reference]
    assert pack.decisions[0].interests == [
        "Cllr Helen Price: My sister is a reablement worker employed by the council. "
        "Dispensation granted by the Monitoring Officer on 30 November 2026."
    ]
    del earlier


def test_a_members_decision_on_the_demo_data_is_a_record_of_decision_a_council_would_publish(
    decided, django_capture_on_commit_callbacks
):
    # Seeding the demo takes most of a minute and a half here, so one seeding serves every check.
    _the_pdf_reads_like_a_councils_record_of_decision(decided)
    _the_public_page_reads_like_a_councils_and_names_only_the_decision_makers(decided)
    _the_demo_has_realistic_historic_records(decided)
    _the_export_and_the_api_carry_the_record(decided, django_capture_on_commit_callbacks)
    _the_committee_pack_lists_the_decisions_since_the_last_meeting(decided)
