"""The page walk: every URL pattern Lantern serves as a page, filled from the demo data, and
who of one organisation can open it. Shared by the link crawl (tests/test_links.py, every
role, Django's test client) and the phone-width walk (tests/e2e/test_phone_width.py, one role
per page, in chromium).

Each pattern with parameters is filled with candidates: the demo organisation's own rows of
the right kind (at every stage the demo seeds, so a page is seen at its fullest), then one
built by the tenancy walk's REGISTRY (tests/test_tenancy.py) inside the same organisation for
kinds the demo does not seed. A pattern that is not a page anyone opens (a button's POST, a
download, the two-factor steps of signing in) is listed in NOT_PAGES with the reason, so a new
page that no role can open fails `unopened_patterns` rather than going unwalked.
"""

from collections.abc import Callable, Iterable

from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import demo as accounts_demo
from accounts.models import Membership, Organisation, Role
from accounts.tokens import invitation_token_generator
from tests.conftest import Personas
from tests.test_tenancy import REGISTRY, url_names_and_kwargs

# Who of one organisation opens a page, in this order: the first role the page lets in is the
# one the phone walk reads it as (managers see the most of a project's work). None: signed out.
ROLE_ORDER = [Role.MANAGER, Role.ADMIN, Role.OFFICER, Role.MEMBER, Role.CURATOR, Role.AUDITOR, None]
WALKED_SLUG = "ashby"
# How many rows of a kind a page is opened with (the demo seeds each kind at several stages).
CANDIDATES = 12

NOT_PAGES = {
    "accounts:sign-out": "a POST that ends the session",
    "accounts:language": "a POST (the language switch is on every page)",
    "accounts:two-factor": "a step of signing in that sends the person on to set-up or code",
    "accounts:two-factor-setup": "a step of signing in, reached only between password and code",
    "accounts:two-factor-verify": "a step of signing in, reached only between password and code",
    "accounts:sso-callback": "a step of signing in: the identity provider sends the browser back with a code",
    "accounts:invitation-accept": "a POST (the button is on the invitations page)",
    "accounts:invitation-decline": "a POST (the button is on the invitations page)",
    "accounts:person-reactivate": "a POST (the button is on the person's page)",
    "accounts:person-two-factor-reset": "a POST (the button is on the person's page)",
    "innovation:idea-resubmit": "a POST (the button is on the idea's page)",
    "innovation:idea-assign-assessor": "a POST (the form is on the screening page)",
    "innovation:idea-support": "a POST (the button is on the idea's page)",
    "innovation:idea-start-screening": "a POST (the button is on the idea's page)",
    "innovation:idea-comment": "a POST (the form is on the idea's page)",
    "innovation:campaign-close": "a POST (the button is on the campaign's page)",
    "innovation:team-member-remove": "a POST (the button is on the project's page)",
    "innovation:project-submit": "a POST (the button is on the project's page)",
    "innovation:project-reopen": "a POST (the button is on the project's page)",
    "innovation:project-start-evaluation": "a POST (the button is on the project's page)",
    "portfolio:report-compute": "a POST (the button is on the gap report)",
    "portfolio:report-csv": "a download",
    "portfolio:import-retry": "a POST (the button is on the import's page)",
    "portfolio:report-default": "a POST (the button is on the gap report)",
    "portfolio:group-delete": "a POST (the button is on the group's page)",
    "reports:decision-pdf": "a download (its text is read in tests/exports/test_decision_records.py)",
    "reports:job-download": "a download",
    "reports:job-retry": "a POST (the button is on the export's page)",
    "reports:export-take": "a download, or a POST that starts one",
    "reports:schedule-delete": "a POST (the button is on the schedules page)",
    "risk:risk-comment": "a POST (the form is on the risk's page)",
    "sharing:lesson-feature": "a POST (the button is on the lesson's page)",
    "sharing:lesson-adopt": "a POST (the button is on the lesson's page)",
    "sharing:feed": "an Atom feed, not a page",
    "accounts:notification-read": "a POST (the button is on the notifications page)",
    "accounts:notification-read-all": "a POST (the button is on the notifications page)",
    "innovation:project-sponsor-volunteer": "a POST (the button is on the project's page)",
    "innovation:partner-similar": "an htmx fragment of the partner's idea form (duplicate hints)",
    "public:similar": "an htmx fragment of the public idea form (duplicate hints)",
    "public:forward-plan-csv": "a download",
    # A public campaign and its partners' pages need a campaign opened to them, which the demo
    # does not seed; tests/e2e/test_public_campaigns.py opens each at 375 px and fails on a page wider
    # than the phone (_axe_both).
    "public:campaign": "read at 375 px by tests/e2e/test_public_campaigns.py",
    "public:idea": "read at 375 px by tests/e2e/test_public_campaigns.py",
    "public:sent": "read at 375 px by tests/e2e/test_public_campaigns.py",
    "public:confirm": "read at 375 px by tests/e2e/test_public_campaigns.py (a signed link from an email)",
    "public:unsubscribe": "read at 375 px by tests/e2e/test_public_campaigns.py (a signed link from an email)",
    "innovation:partner-campaign-list": "read at 375 px by tests/e2e/test_public_campaigns.py, as a partner",
    "innovation:partner-campaign": "read at 375 px by tests/e2e/test_public_campaigns.py, as a partner",
    "innovation:partner-idea-list": "read at 375 px by tests/e2e/test_public_campaigns.py, as a partner",
}
NOT_PAGE_NAMESPACES = {
    "admin": "the Django admin is for Lantern's operators, never for organisations' users",
    "api": "JSON for programs, not pages",
}


def seed_demo() -> dict[str, Organisation]:
    """The demo organisations with every app's demo data, as `manage.py seed_demo` makes them."""
    from config.management.commands.seed_demo import APP_DEMOS

    organisations = accounts_demo.seed()
    for app_demo in APP_DEMOS:
        app_demo.seed(organisations)
    return organisations


def members(organisation: Organisation) -> dict[str, Membership]:
    """Role → the demo person with that role in the organisation."""
    return {
        role: Membership.objects.get(organisation=organisation, user__email=accounts_demo.demo_email(WALKED_SLUG, role))
        for role in Role.values
    }


def page_patterns() -> list[tuple[str, tuple]]:
    """(URL name, parameter names) of every pattern that is a page."""
    return [
        (name, kwargs)
        for name, kwargs in url_names_and_kwargs()
        if name not in NOT_PAGES and name.split(":")[0] not in NOT_PAGE_NAMESPACES
    ]


def _model(label: str):
    return apps.get_model(label)


def _rows(label: str, organisation: Organisation, **filters) -> Iterable:
    return _model(label).objects.filter(organisation=organisation, **filters).order_by("-pk")[:CANDIDATES]


def _pks(rows) -> list[dict]:
    return [{"pk": row.pk} for row in rows]


def _public_ids(rows) -> list[dict]:
    return [{"public_id": row.public_id} for row in rows]


def _demo_rows(organisation: Organisation, people: dict[str, Membership]) -> dict[str, Callable[[], list[dict]]]:
    """Parameters from the demo rows, by the kind of row a pattern names."""
    org = organisation
    return {
        # Ideas are addressed by their number in their organisation ("Idea 7" at /ideas/7/).
        "idea": lambda: [{"reference": row.reference} for row in _rows("innovation.Idea", org)],
        "project": lambda: _pks(_rows("innovation.Project", org)),
        "campaign": lambda: _pks(_rows("innovation.Campaign", org)),
        "milestone": lambda: _pks(_rows("innovation.Milestone", org)),
        "risk": lambda: _pks(_rows("risk.Risk", org)),
        "lesson": lambda: _pks(_rows("sharing.Lesson", org)),
        # Another council's lesson, published to the sector: the one a visit is asked about.
        "outside-lesson": lambda: _pks(
            _model("sharing.Lesson").objects.exclude(organisation=org).filter(visibility="sector").order_by("-pk")[:3]
        ),
        "visit": lambda: _pks(_model("sharing.VisitRequest").objects.filter(lesson__organisation=org)[:CANDIDATES]),
        "person": lambda: _pks(_rows("accounts.Membership", org, is_active=True)),
        "inactive-person": lambda: _pks(_rows("accounts.Membership", org, is_active=False, accepted_at__isnull=False)),
        "invited-person": lambda: _pks(_rows("accounts.Membership", org, is_active=False, accepted_at__isnull=True)),
        "import": lambda: _public_ids(_rows("portfolio.ImportJob", org)),
        "gap-report-job": lambda: _public_ids(_rows("portfolio.GapReportJob", org)),
        # Export jobs are their requester's own: the admin's (made by `prepare`).
        "export-job": lambda: _public_ids(_rows("reports.ExportJob", org, requested_by=people[Role.ADMIN].user)),
        "indicator": lambda: [
            {"code": code} for code in _model("portfolio.Indicator").objects.values_list("code", flat=True)[:2]
        ],
        "export": lambda: [{"name": name} for name in _export_names()],
        "optimism-type": lambda: [{"project_type": kind} for kind in _project_types()],
        # A newcomer's link from their invitation email (made by `prepare`).
        "invitation-token": lambda: [
            _token_kwargs(membership.user, invitation_token_generator)
            for membership in Membership.objects.filter(organisation=org, invited_name=NEWCOMER)
        ],
        "reset-token": lambda: [_token_kwargs(people[Role.OFFICER].user, default_token_generator)],
        # The public forward plan of the walked authority (the demo sets its key-decision threshold).
        "organisation": lambda: [{"organisation": org.pk}],
    }


def _project_types() -> list[str]:
    from innovation.models import ProjectType

    return list(ProjectType.values)


def _export_names() -> list[str]:
    from reports.exports import EXPORTS

    return list(EXPORTS)


def _token_kwargs(user, generator) -> dict:
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": generator.make_token(user)}


# URL name → the kind of row that fills it (see _demo_rows). Names not here are filled by the
# tenancy REGISTRY's builder alone.
KINDS = {
    "accounts:accept-invitation": "invitation-token",
    "accounts:password-reset-confirm": "reset-token",
    "accounts:person-change-role": "person",
    "accounts:person-deactivate": "person",
    "accounts:person-detail": "person",
    "accounts:person-reactivate": "inactive-person",
    "accounts:person-withdraw": "invited-person",
    "innovation:business-case-edit": "project",
    "innovation:campaign-detail": "campaign",
    "innovation:evaluation-edit": "project",
    "innovation:project-scale-up": "project",
    "innovation:forward-plan-entry": "project",
    "innovation:forward-plan-exception": "project",
    "innovation:involvement-create": "project",
    "innovation:milestone-create": "project",
    "innovation:milestone-edit": "milestone",
    "innovation:optimism-mitigation": "project",
    "innovation:optimism-override": "optimism-type",
    "innovation:team-member-add": "project",
    "portfolio:import-detail": "import",
    "portfolio:indicator-detail": "indicator",
    "portfolio:report-job": "gap-report-job",
    "public:forward-plan": "organisation",
    "reports:export": "export",
    "reports:export-schedule": "export",
    "reports:job": "export-job",
    "risk:assessment-edit": "project",
    "risk:control-create": "risk",
    "risk:project-register": "project",
    "risk:risk-create": "project",
    "sharing:visit-decide": "visit",
    "sharing:visit-request": "outside-lesson",
}


def _kind(name: str) -> str | None:
    if name in KINDS:
        return KINDS[name]
    app, _, page = name.partition(":")
    for prefix in ("idea", "project", "risk", "lesson"):
        if page.startswith(f"{prefix}-"):
            return prefix
    return None


NEWCOMER = "Walk Newcomer"


def prepare(organisations: dict[str, Organisation]) -> Organisation:
    """What the demo does not seed but some pages show: an invitation waiting for the walked
    officer from another council, a newcomer's invitation, and an export the admin asked for.
    Returns the walked organisation."""
    from reports.models import ExportJob
    from tests.factories import MembershipFactory

    organisation = organisations[WALKED_SLUG]
    people = members(organisation)
    Membership.objects.get_or_create(
        user=people[Role.OFFICER].user,
        organisation=organisations["network"],
        defaults={"role": Role.OFFICER, "is_active": False, "accepted_at": None, "invited_name": "Priya"},
    )
    newcomer = MembershipFactory(organisation=organisation, is_active=False, accepted_at=None, invited_name=NEWCOMER)
    newcomer.user.set_unusable_password()
    newcomer.user.save()
    ExportJob.objects.create(
        organisation=organisation,
        export="risk-register",
        format="csv",
        mode=ExportJob.Mode.BACKGROUND,
        requested_by=people[Role.ADMIN].user,
    )
    return organisation


def candidate_urls(organisation: Organisation) -> dict[str, list[str]]:
    """URL name → URLs that open that page in the organisation, demo rows first."""
    people = members(organisation)
    rows = _demo_rows(organisation, people)
    # The tenancy walk's builders, pointed at this organisation instead of the other one.
    builder = Personas(council=organisation, other_council=organisation, members=people, outsider=people[Role.OFFICER])
    urls = {}
    for name, params in page_patterns():
        if not params:
            urls[name] = [reverse(name)]
            continue
        kind = _kind(name)
        found = rows[kind]() if kind else []
        if not found and name in REGISTRY:
            found = [REGISTRY[name](builder)]
        urls[name] = [reverse(name, kwargs=kwargs) for kwargs in found]
    return urls


def client_for(membership: Membership | None) -> Client:
    if membership is None:
        return Client()
    return Personas(council=membership.organisation, other_council=None, members={}, outsider=None).client_for(
        membership
    )


# Pages whose link redirects to the page itself (Django's password reset link puts its token in
# the session and drops it from the address, which a browser follows).
REACHED_BY_REDIRECT = {"accounts:password-reset-confirm"}


def read(client: Client, name: str, url: str):
    """The page as `client` reads it, or None when it does not let them in."""
    response = client.get(url, follow=name in REACHED_BY_REDIRECT)
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        return response
    return None
