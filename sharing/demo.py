"""Demonstration lessons: at every visibility, successes and failures, with a featured one,
an adoption, a visit request and a follower. Runs after innovation's demo, whose finished
projects the lessons come from. Development only (seed_demo refuses to run with DEBUG off).
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import Organisation, Role, User
from innovation.models import Project
from portfolio.models import Service, ServiceArea
from sharing import queries, reading, services
from sharing.models import Lesson, ServiceFollow, Visibility, VisitRequest

TEXTS = {
    "Chatbot for housing repairs": {
        "summary": "A chatbot for reporting repairs did not reduce calls: tenants wanted to speak to someone.",
        "service": Service.HOUSING,
        "tried": "A web chatbot that took repair reports day and night, linked to the repairs system.",
        "happened": "Most chats ended with a request to speak to someone. **Calls did not fall.**",
        "worked": "- The link to the repairs system\n- Out-of-hours reports of leaks",
        "did_not_work": "Tenants with complex repairs, and many older tenants, preferred the phone. "
        "We launched without testing the script with tenants.",
        "to_repeat": "Test the conversation with tenants first, and keep a clear route to a person.",
        "costs_and_results": "£45,000 one-off and £12,000 a year, for about £8,000 a year of benefit.",
    },
    "Joint hub for early help with the NHS": {
        "summary": "A shared early-help hub with the NHS saw families a fortnight sooner.",
        "service": Service.CHILDRENS_SERVICES,
        "tried": "One front door for early help, staffed by council and NHS workers together.",
        "happened": "Families were seen two weeks sooner and repeat referrals fell.",
        "worked": "Shared case notes and a single triage meeting each morning.",
        "did_not_work": "Information-sharing agreements took five months to sign.",
        "to_repeat": "Start the data-sharing agreement on day one; agree a joint manager.",
        "costs_and_results": "£150,000 one-off and £40,000 a year, for £120,000 a year of benefit.",
    },
    "Smart bins in the town centre": {
        "summary": "Sensor bins that report when full failed in the first winter; we stopped early.",
        "service": Service.WASTE,
        "tried": "Bins with fill sensors so crews empty them only when needed.",
        "happened": "The sensors failed in the cold and the supplier could not replace them quickly.",
        "did_not_work": "The supplier's hardware, and a contract with no service levels.",
        "to_repeat": "A winter trial and service levels in the contract before buying at scale.",
        "costs_and_results": "About £70,000 spent before we stopped.",
    },
    "Predictive maintenance for council housing boilers": {
        "summary": "Boiler sensors cut breakdowns by a third on the pilot estates.",
        "service": Service.HOUSING,
        "tried": "Sensors on boilers to predict failures before tenants lose heating.",
        "happened": "Breakdowns fell by a third, but sensor batteries failed early.",
        "worked": "Fewer emergency call-outs in winter.",
        "did_not_work": "Battery life was a third of what the supplier promised.",
        "to_repeat": "Budget for battery replacement; agree who owns the data.",
        "costs_and_results": "£80,000 one-off and £10,000 a year, for £50,000 a year of benefit.",
    },
}

# (organisation slug, project title, visibility or None for a draft)
PLAN = [
    ("ashby", "Chatbot for housing repairs", Visibility.ANONYMISED),
    ("ashby", "Joint hub for early help with the NHS", Visibility.PUBLIC),
    ("ashby", "Smart bins in the town centre", Visibility.INTERNAL),
    ("ashby", "Predictive maintenance for council housing boilers", None),
    ("kingsmere", "Chatbot for housing repairs", Visibility.SECTOR),
    ("kingsmere", "Joint hub for early help with the NHS", Visibility.SECTOR),
    ("kingsmere", "Smart bins in the town centre", Visibility.ANONYMISED),
    ("kingsmere", "Predictive maintenance for council housing boilers", Visibility.PUBLIC),
]


def lessons_mark_anonymised_checked(lessons: QuerySet, *, checked_by: User) -> int:
    """Seeded data only (benchmarks, demo sets loaded in bulk, not through the pages): marks
    `lessons` as an admin would leave them on confirming the preview at their visibility:
    anonymised since they were published, checked now by `checked_by`, with the digest of the
    words other organisations read. Without it, bulk-made anonymised lessons are withheld from
    everyone outside, as unchecked ones must be. Returns how many were marked."""
    rows = list(queries.lessons_for_reading(lessons))
    redactions = reading.Redactions().load({lesson.organisation_id: lesson.organisation for lesson in rows}.values())
    now = timezone.now()
    for lesson in rows:
        lesson.anonymised_at = lesson.anonymised_at or lesson.published_at or now
        lesson.anonymised_checked_at = now
        lesson.anonymised_checked_by = checked_by
        lesson.anonymised_checked_digest = reading.preview_digest(
            reading.anonymised_preview(lesson, redactions=redactions)
        )
    fields = ["anonymised_at", "anonymised_checked_at", "anonymised_checked_by", "anonymised_checked_digest"]
    Lesson.objects.bulk_update(rows, fields, batch_size=1000)
    return len(rows)


def _person(slug: str, role: str) -> User:
    return User.objects.get(email=demo_email(slug, role))


@transaction.atomic
def seed(organisations: dict[str, Organisation]) -> None:
    """Lessons for the demo councils, and the sector's use of them."""
    if Lesson.objects.filter(organisation__in=organisations.values()).exists():
        return
    lessons = {}
    for slug, title, visibility in PLAN:
        organisation = organisations.get(slug)
        project = Project.objects.for_organisation(organisation).filter(title=title).first() if organisation else None
        if project is None or queries.lesson_project_problems(project):
            continue
        manager, admin = _person(slug, Role.MANAGER), _person(slug, Role.ADMIN)
        lesson = services.lesson_create(
            actor=manager,
            project=project,
            title=f"{title}: what we learned",
            contact_name=manager.full_name,
            contact_email=manager.email,
            **TEXTS[title],
        )
        if visibility is not None:
            actor = manager if visibility == Visibility.INTERNAL else admin
            # The demo's admin has checked the anonymised preview, as a real one must.
            checked = reading.lesson_preview(lesson).digest if visibility == Visibility.ANONYMISED else ""
            lesson = services.lesson_publish(actor=actor, lesson=lesson, visibility=visibility, checked_preview=checked)
        lessons[(slug, title)] = lesson

    network = organisations.get("network")
    featured = lessons.get(("ashby", "Joint hub for early help with the NHS"))
    if network is not None and featured is not None:
        services.lesson_feature(
            actor=_person("network", Role.CURATOR),
            organisation=network,
            lesson=featured,
            reason="Shows how to set up joint working with the NHS, including what slowed it down.",
        )
    kingsmere = organisations.get("kingsmere")
    if kingsmere is None:
        return
    officer = _person("kingsmere", Role.OFFICER)
    ServiceFollow.objects.get_or_create(user=officer, service=Service.HOUSING)
    anonymised = lessons.get(("ashby", "Chatbot for housing repairs"))
    if anonymised is not None:
        services.visit_request_create(
            actor=officer,
            organisation=kingsmere,
            lesson=anonymised,
            message="We are planning a repairs chatbot. Could two of us visit in the spring?",
            kind=VisitRequest.Kind.INDIVIDUAL,
        )
    if featured is not None:
        area = ServiceArea.objects.for_organisation(kingsmere).first()
        if area is not None:
            services.adoption_create(
                actor=_person("kingsmere", Role.MANAGER),
                organisation=kingsmere,
                lesson=featured,
                title="Early help hub with our health partners",
                problem="Families are referred back and forth between services.",
                proposal="One front door for early help with the NHS trust.",
                what_changed="We would start with one locality rather than the whole area.",
                service_areas=[area],
            )
