"""A page shows only the links its reader's role can use: every link on the main pages, followed
by each role, leads somewhere that role may go (never to the refusal page)."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.models import Role
from innovation.models import ProjectStage
from sharing.models import Visibility
from tests.factories import IdeaFactory, ProjectFactory

HREF = re.compile(r'<a [^>]*href="(/[^"#]*)"')
MIN_LINKS_PER_PAGE = 5


@pytest.fixture
def council(personas, make_lesson):
    officer = personas.members[Role.OFFICER].user
    manager = personas.members[Role.MANAGER].user
    idea = IdeaFactory(organisation=personas.council, author=officer)
    ProjectFactory(organisation=personas.council, owner=manager, stage=ProjectStage.IMPLEMENTATION)
    from innovation.models import Campaign

    campaign = Campaign.objects.create(
        organisation=personas.council,
        title="Fewer missed bins",
        question="How?",
        deadline=datetime.date.today() + datetime.timedelta(days=30),
        created_by=manager,
    )
    theirs = make_lesson(visibility=Visibility.SECTOR, organisation=personas.other_council)
    ours = make_lesson(visibility=Visibility.SECTOR)
    # The project page's links are issue 23's (the risk register for officers), checked there.
    return [
        reverse("home"),
        reverse("innovation:idea-list"),
        idea.get_absolute_url(),
        reverse("innovation:campaign-list"),
        reverse("innovation:campaign-detail", args=[campaign.pk]),
        reverse("innovation:project-list"),
        reverse("sharing:library"),
        reverse("sharing:lesson-detail", args=[theirs.pk]),
        reverse("sharing:lesson-detail", args=[ours.pk]),
    ]


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN, Role.OFFICER, Role.MEMBER, Role.CURATOR])
def test_no_page_links_to_something_the_readers_role_is_refused(personas, council, role):
    client = personas.client_for(personas.members[role])
    refused, followed = [], 0
    for page in council:
        response = client.get(page)
        assert response.status_code == 200, page
        for href in sorted(set(HREF.findall(response.content.decode()))):
            if "sign-out" in href or "download" in href:
                continue
            followed += 1
            if client.get(href).status_code == 403:
                refused.append(f"{page} → {href}")
    # Every page has at least its navigation's links: a page that lost them all, or a pattern
    # that stopped matching them, must not pass by following nothing.
    assert followed >= MIN_LINKS_PER_PAGE * len(council), followed
    assert refused == []
