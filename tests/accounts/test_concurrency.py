"""Two admins acting at the same moment must not leave their organisation without an admin.

Row locks need PostgreSQL: run with DATABASE_URL=postgres://... (CI does)."""

import threading
import time

import pytest
from django.db import connection

from accounts import services
from accounts.models import Membership, Role
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.services


@pytest.fixture
def two_admins(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL: set DATABASE_URL=postgres://... to run this")
    organisation = OrganisationFactory()
    return [MembershipFactory(organisation=organisation, role=Role.ADMIN) for _ in range(2)]


def at_the_same_moment(monkeypatch, *changes):
    """Runs each change in its own thread and connection, each pausing after its checks."""
    record_change = services._record_change

    def slow_record_change(*args, **kwargs):
        time.sleep(0.3)  # widen the gap between checking the admins and saving the change
        record_change(*args, **kwargs)

    monkeypatch.setattr(services, "_record_change", slow_record_change)
    outcomes = []
    barrier = threading.Barrier(len(changes))

    def run(change):
        try:
            barrier.wait()
            change()
            outcomes.append("done")
        except services.PeopleError as error:
            outcomes.append(str(error))
        except Exception as error:  # a deadlock or a lost update is a failure of the test
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(change,)) for change in changes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def active_admins(organisation):
    return Membership.objects.for_organisation(organisation).active().filter(role=Role.ADMIN).count()


def test_two_admins_deactivating_each_other_at_once_leave_one_admin(two_admins, monkeypatch):
    first, second = two_admins
    outcomes = at_the_same_moment(
        monkeypatch,
        lambda: services.membership_deactivate(actor=first.user, membership=second),
        lambda: services.membership_deactivate(actor=second.user, membership=first),
    )
    assert sorted(outcomes) == ["You cannot deactivate the organisation’s only admin.", "done"]
    assert active_admins(first.organisation) == 1


def test_two_admins_demoting_each_other_at_once_leave_one_admin(two_admins, monkeypatch):
    first, second = two_admins
    outcomes = at_the_same_moment(
        monkeypatch,
        lambda: services.membership_change_role(actor=first.user, membership=second, role=Role.OFFICER),
        lambda: services.membership_change_role(actor=second.user, membership=first, role=Role.OFFICER),
    )
    assert sorted(outcomes) == [
        "You cannot change the role of the organisation’s only admin. Make someone else an admin first.",
        "done",
    ]
    assert active_admins(first.organisation) == 1
