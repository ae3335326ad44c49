"""The Atom feed of newly published lessons.

Public lessons only, whoever asks: feed readers fetch without a session, and a feed URL
is easily shared, so it carries nothing a signed-in reader could see that an anonymous
one could not. Each entry is read through `lesson_for_reader` like every other page.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sharing import queries
from sharing.models import Lesson
from sharing.reading import lesson_for_reader


class PublicLessonsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Lantern: new lessons from local public services")
    subtitle = _("Lessons learned from innovation projects, successes and failures, published to the public.")
    link = reverse_lazy("sharing:library")

    def items(self):
        lessons = queries.lessons_for_reading(Lesson.objects.public()).order_by("-published_at", "-pk")[:50]
        return [(lesson, lesson_for_reader(lesson, None)) for lesson in lessons]

    def item_title(self, item):
        view = item[1]
        return f"{view.title} ({view.outcome_label.lower()})"

    def item_description(self, item):
        view = item[1]
        # Translators: a lesson in the Atom feed: its summary, then its service, outcome and host.
        return gettext("%(summary)s %(service)s. Outcome: %(outcome)s. From %(host)s.") % {
            "summary": view.summary,
            "service": view.service_label,
            "outcome": view.outcome_label,
            "host": view.host_label,
        }

    def item_link(self, item):
        return item[1].url

    def item_pubdate(self, item):
        return item[0].published_at

    def item_updateddate(self, item):
        return item[0].published_at

    def item_author_name(self, item):
        return item[1].organisation_name

    def item_categories(self, item):
        return [item[1].service_label, item[1].outcome_label]
