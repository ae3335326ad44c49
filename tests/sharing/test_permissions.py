"""Permission matrix: every sharing page × every kind of person.

Anonymous people are sent to sign in (except where the library is open to them), people
of another organisation get 404 for what is not theirs, and each role gets what the
rules in sharing/rules.py allow.
"""

import pytest
from django.test import Client

from accounts.models import Role
from sharing import services
from sharing.models import Visibility, VisitRequest
from tests.conftest import force_login
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ROLES = ["officer", "manager", "member", "admin", "curator", "auditor"]
WHO = ["anonymous", *ROLES, "outsider", "outsider_manager", "outsider_admin", "sector_curator"]
SIGN_IN = 302

# URL template → {who: status}; anyone not listed gets `default`.
MATRIX = {
    "/library/": {"default": 200},
    "/library/feed/": {"default": 200},
    "/library/following/": {"anonymous": SIGN_IN, "default": 200},
    "/library/sector/": {"anonymous": SIGN_IN, "curator": 200, "sector_curator": 200, "default": 403},
    "/lessons/": {"anonymous": SIGN_IN, "default": 200},
    "/lessons/new/": {
        "anonymous": SIGN_IN,
        "manager": 200,
        "admin": 200,
        "outsider_manager": 200,
        "outsider_admin": 200,
        "default": 403,
    },
    "/lessons/{lesson}/": {"anonymous": 404, "default": 200},
    "/lessons/{draft}/": {"manager": 200, "admin": 200, "auditor": 200, "default": 404},
    "/lessons/{lesson}/edit/": {
        "anonymous": SIGN_IN,
        "manager": 200,
        "admin": 200,
        "outsider_manager": 404,
        "outsider_admin": 404,
        "default": 403,
    },
    "/lessons/{lesson}/publish/": {
        "anonymous": SIGN_IN,
        "manager": 200,
        "admin": 200,
        "outsider_manager": 404,
        "outsider_admin": 404,
        "default": 403,
    },
    "/lessons/{lesson}/withdraw/": {
        "anonymous": SIGN_IN,
        "manager": 200,
        "admin": 200,
        "outsider_manager": 404,
        "outsider_admin": 404,
        "default": 403,
    },
    "/lessons/{lesson}/feature/": {"anonymous": SIGN_IN, "sector_curator": 200, "default": 403},
    "/lessons/{draft}/feature/": {"anonymous": SIGN_IN, "sector_curator": 404, "default": 403},
    "/lessons/{lesson}/adopt/": {
        "anonymous": SIGN_IN,
        "officer": 404,
        "manager": 404,
        "member": 404,
        "admin": 404,
        "outsider": 200,
        "outsider_manager": 200,
        "outsider_admin": 200,
        "default": 403,
    },
    "/lessons/{internal}/adopt/": {
        "anonymous": SIGN_IN,
        "officer": 404,
        "manager": 404,
        "member": 404,
        "admin": 404,
        "outsider": 404,
        "outsider_manager": 404,
        "outsider_admin": 404,
        "default": 403,
    },
    "/lessons/{lesson}/visit/": {
        "anonymous": SIGN_IN,
        "auditor": 403,
        "outsider": 200,
        "outsider_manager": 200,
        "outsider_admin": 200,
        "sector_curator": 200,
        "default": 404,
    },
    "/visits/": {"anonymous": SIGN_IN, "default": 200},
    "/visits/capacity/": {"anonymous": SIGN_IN, "admin": 200, "outsider_admin": 200, "default": 403},
    "/visits/{visit}/": {
        "anonymous": SIGN_IN,
        "manager": 200,
        "admin": 200,
        "outsider_manager": 404,
        "outsider_admin": 404,
        "default": 403,
    },
}


@pytest.fixture
def world(personas, make_lesson, sector_body):
    lesson = make_lesson(Visibility.SECTOR)
    draft = make_lesson(visibility=None)
    internal = make_lesson(Visibility.INTERNAL)
    visit = services.visit_request_create(
        actor=personas.outsider.user,
        organisation=personas.other_council,
        lesson=lesson,
        message="March?",
        kind=VisitRequest.Kind.INDIVIDUAL,
    )
    people = {role: personas.members[role] for role in ROLES}
    people["outsider"] = personas.outsider
    people["outsider_manager"] = MembershipFactory(organisation=personas.other_council, role=Role.MANAGER)
    people["outsider_admin"] = MembershipFactory(organisation=personas.other_council, role=Role.ADMIN)
    people["sector_curator"] = sector_body.curator
    ids = {"lesson": lesson.pk, "draft": draft.pk, "internal": internal.pk, "visit": visit.pk}
    return personas, people, ids


@pytest.mark.parametrize("template", list(MATRIX))
def test_each_person_gets_what_their_role_allows(world, template):
    personas, people, ids = world
    url = template.format(**ids)
    expected = MATRIX[template]
    failures = []
    for who in WHO:
        client = Client() if who == "anonymous" else personas.client_for(people[who])
        status = client.get(url).status_code
        want = expected.get(who, expected["default"])
        if status != want:
            failures.append(f"{who}: {status} (expected {want})")
    assert not failures, f"{url}: " + "; ".join(failures)


def test_anonymous_people_are_sent_to_sign_in(world):
    _, _, ids = world
    response = Client().get(f"/lessons/{ids['lesson']}/edit/")
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_posting_changes_needs_the_csrf_token(world):
    personas, people, ids = world
    client = Client(enforce_csrf_checks=True)
    force_login(client, people["admin"].user)
    response = client.post(f"/lessons/{ids['lesson']}/publish/", {"visibility": "public"})
    assert response.status_code == 403
