"""The cross-tenant walk: another organisation's objects answer 404 to everyone, on every URL.

Every URL pattern is read from the resolver. A URL whose kwargs name an object must be in
REGISTRY, which builds that object in the *other* council and returns the kwargs; every
role of the first council then asks for it and must get 404 (as for an id that does not
exist, so a 403 would not even reveal that it exists). A new page with an id that is not
registered fails `test_every_url_with_an_id_is_registered`: add one line, sorted, below.
URLs whose kwargs are not organisation objects go in EXEMPT with the reason.
"""

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from simple_history.models import HistoricalChanges

from accounts.models import Organisation, OrganisationQuerySet, Role
from tests.conftest import Personas
from tests.factories import IdeaFactory, MembershipFactory, OrganisationFactory, ProjectFactory


def url_names_and_kwargs(resolver=None, namespace=None, inherited=()):
    """(namespaced name, kwarg names) for every named URL the project serves."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        regex = entry.pattern.regex
        # Unnamed groups (some of the admin's regex patterns) are arguments too.
        kwargs = (*inherited, *regex.groupindex, *["?"] * (regex.groups - len(regex.groupindex)))
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from url_names_and_kwargs(entry, inner, kwargs)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), tuple(kwargs)


# Small builders of the other council's objects, for the registry's one-liners.


def _choice(model: str, field: str) -> str:
    return apps.get_model(model)._meta.get_field(field).choices[0][0]


def _user(p: Personas):
    return p.outsider.user


def _idea(p: Personas):
    return IdeaFactory(organisation=p.other_council, author=_user(p))


def _project(p: Personas):
    return ProjectFactory(organisation=p.other_council, owner=_user(p))


def _create(model: str, p: Personas, **fields):
    return apps.get_model(model).objects.create(organisation=p.other_council, **fields)


def _campaign(p: Personas):
    return _create(
        "innovation.Campaign",
        p,
        title="Kingsmere's",
        question="How?",
        deadline=dt.date(2030, 1, 1),
        created_by=_user(p),
    )


def _decision(p: Personas):
    """The other council's record of decision (it does not publish its records)."""
    return _create("innovation.Decision", p, project=_project(p), member=_user(p), outcome="approved", rationale="Why")


def _risk(p: Personas):
    assessment = _create("risk.RiskAssessment", p, project=_project(p))
    return _create(
        "risk.Risk",
        p,
        assessment=assessment,
        title="Kingsmere's risk",
        category=_choice("risk.Risk", "category"),
        inherent_likelihood=3,
        inherent_impact=3,
        inherent_score=9,
    )


def _lesson(p: Personas):
    return _create(
        "sharing.Lesson",
        p,
        project=_project(p),
        title="Kingsmere's internal lesson",
        summary="Not for other councils.",
        service=_choice("sharing.Lesson", "service"),
        outcome=_choice("sharing.Lesson", "outcome"),
        cost_band=_choice("sharing.Lesson", "cost_band"),
        tried="Something",
        happened="Something else",
        author=_user(p),
        visibility="internal",
    )


def _visit(p: Personas):
    return _create(
        "sharing.VisitRequest",
        p,
        lesson=_lesson(p),
        requester=MembershipFactory(organisation=OrganisationFactory()).user,
        requester_organisation=OrganisationFactory(),
        message="May we visit?",
        quarter_start=dt.date(2030, 1, 1),
    )


def _service_area(p: Personas):
    return apps.get_model("portfolio.ServiceArea").objects.get_or_create(
        organisation=p.other_council,
        name="Kingsmere waste",
        defaults={"service": _choice("portfolio.ServiceArea", "service")},
    )[0]


def _indicator():
    return apps.get_model("portfolio.Indicator").objects.get_or_create(
        code="TENANCY-1",
        defaults={"name": "Test", "unit": "%", "polarity": 1, "frequency": "quarterly", "service": "waste"},
    )[0]


def _own_indicator(p: Personas):
    """The other council's own indicator (not the shared catalogue's)."""
    return apps.get_model("portfolio.Indicator").objects.get_or_create(
        organisation=p.other_council,
        code="KINGS-1",
        defaults={"name": "Kingsmere's", "unit": "%", "polarity": 1, "frequency": "quarterly", "service": "waste"},
    )[0]


def _api_token(p: Personas):
    return _create(
        "accounts.ApiToken",
        p,
        name="Kingsmere's dashboard",
        scope="read",
        prefix=uuid.uuid4().hex[:8],
        key_hash=uuid.uuid4().hex * 2,
        created_by=_user(p),
        expires_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
    )


def _measurement(p: Personas):
    return _create("portfolio.Measurement", p, indicator=_indicator(), period="2025-Q1", period_index=8100, value=1)


def _gap_row(p: Personas):
    report = _create("portfolio.GapReport", p, computed_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC), is_current=True)
    return _create(
        "portfolio.GapReportRow",
        p,
        report=report,
        indicator=_indicator(),
        period="2025-Q1",
        period_index=8100,
        actual=1,
        percentile=100,
        quartile=1,
    )


def _export_job(p: Personas):
    return _create("reports.ExportJob", p, export="risk-register", format="csv", mode="background")


def _schedule(p: Personas):
    return _create(
        "reports.ScheduledReport",
        p,
        export="risk-register",
        format="csv",
        recipients=["kingsmere@kingsmere.example"],
        day_of_month=1,
    )


def _invitation(p: Personas):
    """The other council's invitation to someone else, not yet accepted."""
    return MembershipFactory(organisation=p.other_council, is_active=False, accepted_at=None, invited_name="Kim")


def _pk(obj) -> dict:
    return {"pk": obj.pk}


def _reference(idea) -> dict:
    # Ideas are addressed by their number in their organisation ("Idea 7" at /ideas/7/).
    return {"reference": idea.reference}


# URL name -> builder of the other council's object, returning the URL's kwargs. Sorted.
REGISTRY: dict[str, Callable[[Personas], dict]] = {
    "accounts:invitation-accept": lambda p: _pk(_invitation(p)),
    "accounts:invitation-decline": lambda p: _pk(_invitation(p)),
    "accounts:notification-read": lambda p: _pk(
        _create("accounts.Notice", p, user=_user(p), kind="risk_owner_assigned", subject="Theirs", body="Theirs")
    ),
    "accounts:person-change-role": lambda p: _pk(p.outsider),
    "accounts:person-deactivate": lambda p: _pk(p.outsider),
    "accounts:person-detail": lambda p: _pk(p.outsider),
    "accounts:person-reactivate": lambda p: _pk(MembershipFactory(organisation=p.other_council, is_active=False)),
    "accounts:person-two-factor-reset": lambda p: _pk(p.outsider),
    "accounts:person-withdraw": lambda p: _pk(_invitation(p)),
    "accounts:token-revoke": lambda p: _pk(_api_token(p)),
    "api:decision-detail": lambda p: _pk(_decision(p)),
    "api:gap-row-detail": lambda p: _pk(_gap_row(p)),
    "api:idea-detail": lambda p: _pk(_idea(p)),
    "api:import-detail": lambda p: {
        "public_id": _create(
            "portfolio.ImportJob", p, kind=_choice("portfolio.ImportJob", "kind"), original_name="a.csv"
        ).public_id
    },
    "api:indicator-detail": lambda p: {"code": _own_indicator(p).code},
    "api:lesson-detail": lambda p: _pk(_lesson(p)),
    "api:measurement-detail": lambda p: _pk(_measurement(p)),
    "api:organisation-detail": lambda p: _pk(p.other_council),
    "api:project-business-case": lambda p: _pk(_project(p)),
    "api:project-detail": lambda p: _pk(_project(p)),
    "api:risk-detail": lambda p: _pk(_risk(p)),
    "api:service-area-detail": lambda p: _pk(_service_area(p)),
    "innovation:business-case-edit": lambda p: _pk(_project(p)),
    "innovation:campaign-close": lambda p: _pk(_campaign(p)),
    "innovation:campaign-detail": lambda p: _pk(_campaign(p)),
    "innovation:decision-detail": lambda p: _pk(_decision(p)),
    "innovation:evaluation-edit": lambda p: _pk(_project(p)),
    "innovation:forward-plan-entry": lambda p: _pk(_project(p)),
    "innovation:forward-plan-exception": lambda p: _pk(_project(p)),
    "innovation:idea-accept": lambda p: _reference(_idea(p)),
    "innovation:idea-assign-assessor": lambda p: _reference(_idea(p)),
    "innovation:idea-clarify": lambda p: _reference(_idea(p)),
    "innovation:idea-comment": lambda p: _reference(_idea(p)),
    "innovation:idea-decline": lambda p: _reference(_idea(p)),
    "innovation:idea-detail": lambda p: _reference(_idea(p)),
    "innovation:idea-edit": lambda p: _reference(_idea(p)),
    "innovation:idea-merge": lambda p: _reference(_idea(p)),
    "innovation:idea-resubmit": lambda p: _reference(_idea(p)),
    "innovation:idea-score": lambda p: _reference(_idea(p)),
    "innovation:idea-screen": lambda p: _reference(_idea(p)),
    "innovation:idea-start-screening": lambda p: _reference(_idea(p)),
    "innovation:idea-support": lambda p: _reference(_idea(p)),
    "innovation:involvement-create": lambda p: _pk(_project(p)),
    "innovation:milestone-create": lambda p: _pk(_project(p)),
    "innovation:milestone-edit": lambda p: _pk(
        _create("innovation.Milestone", p, project=_project(p), title="Go live", due_date=dt.date(2030, 1, 1))
    ),
    "innovation:optimism-mitigation": lambda p: _pk(_project(p)),
    "innovation:partner-campaign": lambda p: _pk(_campaign(p)),
    "innovation:partner-similar": lambda p: _pk(_campaign(p)),
    "innovation:project-abandon": lambda p: _pk(_project(p)),
    "innovation:project-close": lambda p: _pk(_project(p)),
    "innovation:project-decide": lambda p: _pk(_project(p)),
    "innovation:project-detail": lambda p: _pk(_project(p)),
    "innovation:project-edit": lambda p: _pk(_project(p)),
    "innovation:project-progress": lambda p: _pk(_project(p)),
    "innovation:project-reopen": lambda p: _pk(_project(p)),
    "innovation:project-scale-up": lambda p: _pk(_project(p)),
    "innovation:project-sponsor": lambda p: _pk(_project(p)),
    "innovation:project-sponsor-volunteer": lambda p: _pk(_project(p)),
    "innovation:project-start-evaluation": lambda p: _pk(_project(p)),
    "innovation:project-submit": lambda p: _pk(_project(p)),
    "innovation:project-withdraw": lambda p: _pk(_project(p)),
    "innovation:team-member-add": lambda p: _pk(_project(p)),
    "innovation:team-member-remove": lambda p: (lambda m: {"pk": m.project_id, "member_pk": m.pk})(
        _create("innovation.TeamMember", p, project=_project(p), name="Sam", department="Waste")
    ),
    "portfolio:group-delete": lambda p: _pk(_create("portfolio.ComparisonGroup", p, name="Kingsmere's group")),
    "portfolio:group-detail": lambda p: _pk(_create("portfolio.ComparisonGroup", p, name="Kingsmere's group")),
    "portfolio:group-edit": lambda p: _pk(_create("portfolio.ComparisonGroup", p, name="Kingsmere's group")),
    "portfolio:import-detail": lambda p: {
        "public_id": _create(
            "portfolio.ImportJob", p, kind=_choice("portfolio.ImportJob", "kind"), original_name="a.csv"
        ).public_id
    },
    "portfolio:import-retry": lambda p: {
        "public_id": _create(
            "portfolio.ImportJob", p, kind=_choice("portfolio.ImportJob", "kind"), original_name="a.csv"
        ).public_id
    },
    "portfolio:indicator-detail": lambda p: {"code": _own_indicator(p).code},
    "portfolio:indicator-edit": lambda p: _pk(_own_indicator(p)),
    "portfolio:indicator-retire": lambda p: _pk(_own_indicator(p)),
    "portfolio:report-job": lambda p: {"public_id": _create("portfolio.GapReportJob", p).public_id},
    "portfolio:service-area-edit": lambda p: _pk(_service_area(p)),
    "public:campaign": lambda p: _pk(_campaign(p)),
    "public:decision": lambda p: {"organisation": p.other_council.pk, "pk": _decision(p).pk},
    "public:decisions": lambda p: {"organisation": p.other_council.pk},
    "public:idea": lambda p: _pk(_campaign(p)),
    "public:sent": lambda p: _pk(_campaign(p)),
    "public:similar": lambda p: _pk(_campaign(p)),
    "reports:decision-pdf": lambda p: _pk(_decision(p)),
    "reports:job": lambda p: {"public_id": _export_job(p).public_id},
    "reports:job-download": lambda p: {"public_id": _export_job(p).public_id},
    "reports:job-retry": lambda p: {"public_id": _export_job(p).public_id},
    "reports:schedule-delete": lambda p: _pk(_schedule(p)),
    "risk:assessment-edit": lambda p: _pk(_project(p)),
    "risk:control-create": lambda p: _pk(_risk(p)),
    "risk:project-register": lambda p: _pk(_project(p)),
    "risk:risk-accept": lambda p: _pk(_risk(p)),
    "risk:risk-comment": lambda p: _pk(_risk(p)),
    "risk:risk-create": lambda p: _pk(_project(p)),
    "risk:risk-detail": lambda p: _pk(_risk(p)),
    "risk:risk-edit": lambda p: _pk(_risk(p)),
    "risk:risk-escalate": lambda p: _pk(_risk(p)),
    "risk:risk-review": lambda p: _pk(_risk(p)),
    "sharing:lesson-adopt": lambda p: _pk(_lesson(p)),
    "sharing:lesson-detail": lambda p: _pk(_lesson(p)),
    "sharing:lesson-feature": lambda p: _pk(_lesson(p)),
    "sharing:lesson-publish": lambda p: _pk(_lesson(p)),
    "sharing:lesson-publish-anonymised": lambda p: _pk(_lesson(p)),
    "sharing:lesson-update": lambda p: _pk(_lesson(p)),
    "sharing:lesson-withdraw": lambda p: _pk(_lesson(p)),
    "sharing:visit-decide": lambda p: _pk(_visit(p)),
    "sharing:visit-request": lambda p: _pk(_lesson(p)),
}

# URLs with kwargs that are not an organisation's objects, and why.
EXEMPT = {
    "accounts:accept-invitation": "a one-time signed token for someone not yet signed in; the token is the guard",
    "accounts:password-reset-confirm": "a one-time signed token for someone signed out; the token is the guard",
    "innovation:optimism-override": "a Green Book project type (a fixed list), not an object; it sets the reader's "
    "own organisation's figures",
    "public:forward-plan": "an authority's forward plan, published by law for anyone to read; it shows that "
    "authority's entries only (tests/innovation/test_key_decision_pages.py)",
    "public:forward-plan-csv": "the public forward plan's download, for anyone; that authority's entries only",
    "public:confirm": "a signed token for someone with no account, confirming their own idea; the token is the guard",
    "public:unsubscribe": "a signed token for someone with no account, stopping their own emails; it is the guard",
    "reports:export": "the name of an export (a fixed list), not an object; its rows are the organisation's own",
    "reports:export-schedule": "an export's name (a fixed list), not an object; it schedules in one's own organisation",
    "reports:export-take": "the name of an export (a fixed list), not an object; its rows are the organisation's own",
}
EXEMPT_NAMESPACES = {
    "admin": "the Django admin is for Lantern's operators (is_staff), never for organisations' users",
}


def _is_exempt(name: str) -> bool:
    return name in EXEMPT or name.split(":")[0] in EXEMPT_NAMESPACES


def test_every_url_with_an_id_is_registered():
    unregistered = sorted(
        name for name, kwargs in url_names_and_kwargs() if kwargs and name not in REGISTRY and not _is_exempt(name)
    )
    assert not unregistered, (
        "Add these URLs to REGISTRY in tests/test_tenancy.py (a builder of the other council's object), "
        f"or to EXEMPT with a reason: {unregistered}"
    )


# The walks here must reach at least this many URLs, registered URLs, organisation models and
# roles (334, 90, 44 and 7 on 4 December 2026), so that a resolver walk or registry that came out
# empty, or much shorter, after a refactor fails rather than passing by checking nothing.
MIN_URLS, MIN_REGISTERED, MIN_ORGANISATION_MODELS, MIN_ROLES = 300, 80, 40, 7


def test_the_walks_are_not_empty():
    assert len(list(url_names_and_kwargs())) >= MIN_URLS
    assert len(REGISTRY) >= MIN_REGISTERED
    assert len(list(_organisation_models())) >= MIN_ORGANISATION_MODELS
    assert len(Role.values) >= MIN_ROLES


def test_registry_names_only_urls_that_exist_and_is_sorted():
    names = {name for name, _ in url_names_and_kwargs()}
    assert sorted(set(REGISTRY) - names) == [], "registered URL names that no longer exist"
    assert sorted(set(EXEMPT) - names) == [], "exempt URL names that no longer exist"
    assert list(REGISTRY) == sorted(REGISTRY), "keep REGISTRY sorted, one line per URL"


def _missing(kwargs: dict) -> dict:
    """The same kwargs pointing at nothing at all."""
    return {key: uuid.uuid4() if isinstance(value, uuid.UUID) else 999_999_999 for key, value in kwargs.items()}


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_role_gets_404_for_another_councils_object(personas, name):
    kwargs = REGISTRY[name](personas)
    url, missing_url = reverse(name, kwargs=kwargs), reverse(name, kwargs=_missing(kwargs))
    leaks, asked = {}, 0
    for role in Role.values:
        client = personas.client_for(personas.members[role])
        codes = (client.get(url).status_code, client.post(url).status_code)
        asked += 1
        # 404, or 405 for a method the view does not take. A 403 that the role gets for an
        # id that does not exist too says nothing about the object, so it is tolerated:
        # views that check the role before looking the object up answer that way.
        refused_alike = 403 not in codes or codes == (
            client.get(missing_url).status_code,
            client.post(missing_url).status_code,
        )
        if not (set(codes) <= {403, 404, 405} and refused_alike):
            leaks[role] = codes
    assert asked >= MIN_ROLES, f"only {asked} roles asked"
    assert not leaks, f"{url} answered (GET, POST) {leaks}; expected 404 for every role"


def _organisation_models():
    for model in apps.get_models():
        if issubclass(model, HistoricalChanges):
            continue  # simple_history's audit copies, reached only through their tracked row
        field = next((f for f in model._meta.concrete_fields if f.name == "organisation"), None)
        if field is not None and field.is_relation and field.related_model is Organisation:
            yield model


def test_the_walk_finds_the_organisation_models():
    assert "Membership" in {model.__name__ for model in _organisation_models()}


@pytest.mark.parametrize("model", list(_organisation_models()), ids=lambda m: m._meta.label)
def test_every_organisation_model_is_reached_through_for_organisation(model):
    queryset = model._default_manager.all()
    assert hasattr(queryset, "for_organisation"), f"{model._meta.label}'s default manager has no for_organisation()"
    assert isinstance(queryset, OrganisationQuerySet), (
        f"{model._meta.label}'s manager should derive from accounts.models.OrganisationQuerySet"
    )
