"""Two people acting on the same project at the same moment, on PostgreSQL's real row locks.

SQLite serialises whole-database writes and has no row locks, so these run only when
DATABASE_URL points at PostgreSQL (as in CI).
"""

import threading

import pytest
from django.db import connection

from accounts.models import Role
from innovation import services
from innovation.models import Decision, ProjectTransition
from tests.factories import MembershipFactory


def _at_once(*calls):
    """Runs each call in its own thread and database connection, released together."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            call()
            outcomes[index] = "done"
        except services.InnovationError as error:
            outcomes[index] = str(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_members_approving_at_once_record_exactly_one_decision(advance, personas, member, risk_ready):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    other_member = MembershipFactory(organisation=personas.council, role=Role.MEMBER).user
    project = advance("awaiting_approval")
    outcomes = _at_once(
        lambda: services.project_approve(actor=member, project=project, rationale="Yes"),
        lambda: services.project_reject(actor=other_member, project=project, rationale="No"),
    )
    assert sorted(o == "done" for o in outcomes) == [False, True], outcomes
    assert Decision.objects.filter(project=project).count() == 1
    assert ProjectTransition.objects.filter(project=project, from_stage="awaiting_approval").count() == 1
