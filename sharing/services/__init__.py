"""Every change to lessons, adoptions, visit requests and follows.

Managers write lessons and publish them inside their organisation; admins publish them
to the sector, anonymised or to the public; withdrawing one takes it out of every page,
search, feed and email at once, because every read path filters on `withdrawn_at`.

Split by topic (lessons, adoptions, visits, following); import this package, not the modules:
`from sharing import services` then `services.lesson_publish(...)`.
"""

from sharing.services.adoptions import adoption_create
from sharing.services.base import SharingError, VisitsFullError
from sharing.services.following import digest_send, service_follows_set
from sharing.services.lessons import (
    LESSON_TEXT_FIELDS,
    READING,
    SEARCH_CONFIG,
    lesson_create,
    lesson_feature,
    lesson_publish,
    lesson_search_reindex,
    lesson_unfeature,
    lesson_update,
    lesson_withdraw,
    lessons_follow_evaluation,
)
from sharing.services.visits import (
    BROKERED_REQUEST_SENT,
    visit_capacity_set,
    visit_request_create,
    visit_request_decide,
    visit_request_path,
)

__all__ = [
    "BROKERED_REQUEST_SENT",
    "LESSON_TEXT_FIELDS",
    "READING",
    "SEARCH_CONFIG",
    "SharingError",
    "VisitsFullError",
    "adoption_create",
    "digest_send",
    "lesson_create",
    "lesson_feature",
    "lesson_publish",
    "lesson_search_reindex",
    "lesson_unfeature",
    "lesson_update",
    "lesson_withdraw",
    "lessons_follow_evaluation",
    "service_follows_set",
    "visit_capacity_set",
    "visit_request_create",
    "visit_request_decide",
    "visit_request_path",
]
