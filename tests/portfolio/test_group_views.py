"""Comparison groups as people meet them: the report page's switch and default, the CSV, the API,
the committee pack, and the pages on which admins define groups. The figures are the hand-worked
example's (tests/portfolio/test_comparison_groups.py), with the personas' council as A: its one
indicator is in quartile 3 of all ten, 2 of the district councils, 1 of its nearest neighbours,
has no position in the East Midlands (3 others) and is in quartile 3 of its own group."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from accounts.models import Role
from portfolio import gaps
from portfolio.models import ComparisonDefault, ComparisonGroup
from tests.portfolio.test_comparison_groups import build_example

REPORT = reverse("portfolio:report")
TOO_FEW_IN_GROUP = "Fewer than 5 other organisations in this comparison group have reported this period"


@pytest.fixture
def example(personas):
    orgs = build_example(a=personas.council)
    gaps.gap_reports_build()
    return orgs


def quartile_cell(page: str) -> str:
    row = page[page.index('id="indicators"') :].split("<tbody")[1].split("</tr>")[0]
    return row.split("</td>")[4]


def page_for(personas, role=Role.MANAGER, **params):
    response = personas.client_for(personas.members[role]).get(REPORT, params)
    assert response.status_code == 200
    return response.content.decode()


def test_switching_group_changes_the_quartile_and_says_which_group(personas, example):
    page = page_for(personas)
    assert "relative to: <strong>All reporting organisations</strong>" in page
    assert ">3<span" in quartile_cell(page) and "percentile 50.0" in quartile_cell(page)
    page = page_for(personas, group="kind")
    assert "relative to: <strong>Same kind: district councils</strong>" in page
    assert ">2<span" in quartile_cell(page) and "percentile 62.5" in quartile_cell(page)
    page = page_for(personas, group="neighbours")
    assert "(best)" in quartile_cell(page) and "percentile 83.3" in quartile_cell(page)
    page = page_for(personas, group=f"group-{example['group'].pk}")
    assert "percentile 33.3" in quartile_cell(page)


def test_a_group_with_too_few_reporting_gives_no_position_and_says_why(personas, example):
    page = page_for(personas, group="region")
    assert TOO_FEW_IN_GROUP in quartile_cell(page) and "percentile" not in quartile_cell(page)
    assert "too few organisations in this comparison group have reported this period" in page


def test_without_nearest_neighbours_the_page_says_why(personas, example):
    page = personas.client_for(personas.outsider).get(REPORT, {"group": "neighbours"}).content.decode()
    assert "No position is shown in this group. Nearest neighbours are found on population" in page


def test_another_authoritys_group_is_a_404_unless_shared(personas, example):
    theirs = ComparisonGroup.objects.create(organisation=personas.other_council, name="Kingsmere's club")
    theirs.members.set([example["B"]])
    client = personas.client_for(personas.members[Role.MANAGER])
    assert client.get(REPORT, {"group": f"group-{theirs.pk}"}).status_code == 404
    assert client.get(reverse("portfolio:group-detail", args=[theirs.pk])).status_code == 404
    assert client.get(REPORT, {"group": "nonsense"}).status_code == 404
    theirs.shared = True
    theirs.save()
    page = client.get(REPORT, {"group": f"group-{theirs.pk}"}).content.decode()
    assert f"Kingsmere&#x27;s club (shared by {personas.other_council.name})" in page
    assert client.get(reverse("portfolio:group-detail", args=[theirs.pk])).status_code == 200


def test_a_shared_group_is_changed_only_by_its_owners_admins(personas, example):
    theirs = ComparisonGroup.objects.create(organisation=personas.other_council, name="Kingsmere's club", shared=True)
    admin = personas.client_for(personas.members[Role.ADMIN])
    for name in ("portfolio:group-edit", "portfolio:group-delete"):
        assert (
            admin.post(reverse(name, args=[theirs.pk]), {"name": "Ours now", "members": "E07000003"}).status_code == 404
        )
    assert ComparisonGroup.objects.get(pk=theirs.pk).name == "Kingsmere's club"
    manager = personas.client_for(personas.members[Role.MANAGER])
    ours = example["group"]
    assert (
        manager.post(reverse("portfolio:group-edit", args=[ours.pk]), {"name": "X", "members": "E07000003"}).status_code
        == 403
    )
    assert ComparisonGroup.objects.get(pk=ours.pk).name == "Our benchmarking club"


def test_an_admin_defines_a_group_by_ons_codes_and_unknown_codes_are_refused(personas, example):
    admin = personas.client_for(personas.members[Role.ADMIN])
    url = reverse("portfolio:group-create")
    refused = admin.post(url, {"name": "Coastal", "members": "E07000003\nE09999999"}).content.decode()
    assert "govuk-error-summary" in refused and "not the ONS codes of organisations in Lantern: E09999999" in refused
    response = admin.post(url, {"name": "Coastal", "members": "e07000003, E07000004", "shared": "on"})
    group = ComparisonGroup.objects.get(name="Coastal")
    assert response.status_code == 302 and group.shared
    assert sorted(group.members.values_list("ons_code", flat=True)) == ["E07000003", "E07000004"]


def test_the_admin_chooses_the_default_group_and_others_may_not(personas, example):
    url = reverse("portfolio:report-default")
    assert personas.client_for(personas.members[Role.MANAGER]).post(url, {"group": "kind"}).status_code == 403
    assert not ComparisonDefault.objects.exists()
    admin = personas.client_for(personas.members[Role.ADMIN])
    assert admin.post(url, {"group": "group-999999"}).status_code == 404
    assert admin.post(url, {"group": "kind"}).status_code == 302
    page = page_for(personas, Role.OFFICER)
    assert "relative to: <strong>Same kind: district councils</strong>" in page
    assert "percentile 62.5" in quartile_cell(page)


def test_the_csv_and_api_say_which_group_the_position_is_relative_to(personas, example):
    client = personas.client_for(personas.members[Role.AUDITOR])
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("portfolio:report-csv"), {"group": "kind"}).content.decode()))
    )
    assert rows[1][6:10] == ["Same kind: district councils", "62.5", "2", "7"]
    rows = list(csv.reader(io.StringIO(client.get(reverse("portfolio:report-csv")).content.decode())))
    assert rows[1][6:10] == ["All reporting organisations", "50.0", "3", "9"]
    api = client.get("/api/gap-report/", {"comparison_group": "neighbours"}).json()["results"]
    assert [(r["comparison_group"], r["percentile"], r["quartile"]) for r in api] == [("neighbours", "83.3", 1)]
    assert client.get("/api/gap-report/", {"comparison_group": "neighbours", "quartile": 3}).json()["results"] == []
    assert len(client.get("/api/gap-report/", {"quartile": 3}).json()["results"]) == 1
    assert client.get("/api/gap-report/", {"comparison_group": "group-999999"}).status_code == 404


def test_the_committee_pack_and_dashboard_use_the_default_group(personas, example):
    from reports import committee_pack

    ComparisonDefault.objects.create(organisation=personas.council, comparison_group="neighbours")
    pack = committee_pack.pack_gather(
        organisation=personas.council,
        user=personas.members[Role.ADMIN].user,
        committee="Cabinet",
        meeting_date=datetime.date(2026, 1, 1),
    )
    assert pack.comparison_group == "15 nearest neighbours"
    assert [(g.code, g.quartile) for g in pack.gaps] == [("CORP-FOI", 1)]
