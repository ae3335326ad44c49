"""What sharing tells people, through accounts.notices: requests to visit and their answers, and
the new lessons in the services a person follows.

New lessons are a summary, not an event: each digest writes a person's section as it goes out,
reading the library as they would, so a lesson withdrawn since is not in it and an anonymised
one stays anonymous. It comes weekly unless the person chooses otherwise, as it always has.
"""

import datetime

from django.utils.translation import gettext as _

from accounts import notices
from accounts.models import COUNCIL_ROLES, Membership, User
from sharing import queries
from sharing.models import Lesson, NoticeKind, ServiceFollow
from sharing.reading import Redactions, lesson_for_reader


def register() -> None:
    """Adds sharing's kinds of notice to everyone's email settings (SharingConfig.ready)."""
    notices.kind_register(NoticeKind.VISIT_REQUESTS, NoticeKind.VISIT_REQUESTS.label)
    notices.kind_register(NoticeKind.VISIT_REPLIES, NoticeKind.VISIT_REPLIES.label)
    notices.kind_register(NoticeKind.LESSON_CHECK, NoticeKind.LESSON_CHECK.label)
    notices.kind_register(NoticeKind.LESSON_ADOPTED, NoticeKind.LESSON_ADOPTED.label)
    notices.kind_register(NoticeKind.LESSON_FEATURED, NoticeKind.LESSON_FEATURED.label)
    notices.kind_register(
        NoticeKind.NEW_LESSONS,
        NoticeKind.NEW_LESSONS.label,
        default=notices.Frequency.WEEKLY,
        summary=new_lessons_summary,
        readers=followers,
    )


def followers() -> list[int]:
    """The ids of everyone who follows a service."""
    return list(ServiceFollow.objects.values_list("user_id", flat=True).distinct())


def new_lessons_summary(user: User, since: datetime.datetime) -> str:
    """The lessons published since `since` in the services the person follows, as they would
    read them in the library; "" when there are none."""
    services = list(ServiceFollow.objects.filter(user=user).values_list("service", flat=True))
    if not services:
        return ""
    # Only where they work for the organisation: a partner reads none of its internal lessons.
    memberships = Membership.objects.active().filter(user=user, role__in=COUNCIL_ROLES).select_related("organisation")
    own = {m.organisation_id: m.organisation for m in memberships}
    visible = Lesson.objects.shared()
    for organisation in own.values():
        visible = visible | Lesson.objects.visible_to(organisation)
    lessons = list(
        queries.lessons_for_reading(visible.filter(service__in=services, published_at__gte=since)).order_by(
            "-published_at"
        )[:50]
    )
    if not lessons:
        return ""
    lines = []
    redactions = Redactions()  # each organisation's people read once for the whole digest
    for lesson in lessons:
        view = lesson_for_reader(lesson, own.get(lesson.organisation_id), redactions=redactions)
        lines.append(f"- {view.title} ({view.outcome_label}, {view.host_label})\n  {notices.absolute_url(view.url)}")
    lines.append("\n" + _("Change what you follow: %(url)s") % {"url": notices.absolute_url("sharing:following")})
    return "\n".join(lines)
