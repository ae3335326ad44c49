"""A person named a risk's owner is told, with a link to the risk; nobody is told of naming themselves."""

import pytest

from accounts.models import Notice, Role
from risk import services

pytestmark = pytest.mark.django_db


def _fields(risk, **changes):
    values = {
        "title": risk.title,
        "category": risk.category,
        "inherent_likelihood": risk.inherent_likelihood,
        "inherent_impact": risk.inherent_impact,
        "owner": risk.owner,
    }
    return {**values, **changes}


def test_a_new_owner_is_told_when_a_risk_is_added_or_changes_owner_but_not_when_it_stays_theirs(
    make_risk, manager, officer, personas, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        risk = make_risk(owner=officer)
    assert [m.to for m in mailoutbox] == [[officer.email]]
    assert f"/risk/risks/{risk.pk}/" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.risk_update(actor=manager, risk=risk, **_fields(risk, title="Supplier late"))
    assert len(mailoutbox) == 1  # the same owner: nothing new to tell
    member = personas.members[Role.MEMBER].user
    with django_capture_on_commit_callbacks(execute=True):
        services.risk_update(actor=manager, risk=risk, **_fields(risk, owner=member))
    assert [m.to for m in mailoutbox] == [[officer.email], [member.email]]


def test_a_manager_who_names_themselves_owner_is_not_told(make_risk, manager, mailoutbox):
    make_risk(owner=manager)
    make_risk(owner=None)
    assert not Notice.objects.filter(kind="risk_owner_assigned").exists()
