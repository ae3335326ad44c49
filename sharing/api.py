"""The API's lessons: the sector library as the reader sees it, every lesson read through
`lesson_for_reader` (the one read path that anonymises), with only the fields below."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets

from accounts.api import OrganisationAPIMixin
from sharing import queries
from sharing.filters import LessonFilter
from sharing.models import Lesson
from sharing.reading import Redactions, lesson_for_reader

# The allowlist: nothing else of a lesson ever leaves through the API (security checklist 30).
LESSON_FIELDS = [
    "id",
    "title",
    "summary",
    "service",
    "outcome",
    "cost_band",
    "transferability",
    "evidence_level",
    "evidence_level_name",
    "visibility",
    "anonymised",
    "organisation",
    "organisation_kind",
    "region",
    "author",
    "contact_name",
    "contact_email",
    "published_at",
    "featured",
    "language",
    "title_translation",
    "summary_translation",
]


class LessonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    summary = serializers.CharField()
    service = serializers.CharField()
    outcome = serializers.CharField()
    cost_band = serializers.CharField(source="cost_band_label")
    transferability = serializers.IntegerField(allow_null=True)
    evidence_level = serializers.SerializerMethodField(
        help_text="The evaluation's level on Nesta's Standards of Evidence, 1 to 5; null where none was recorded"
    )
    evidence_level_name = serializers.CharField(
        source="evidence_level_label", help_text='"Level 2: data showing change", or "Not recorded"'
    )
    visibility = serializers.CharField()
    anonymised = serializers.BooleanField(source="is_anonymised")
    organisation = serializers.CharField(source="organisation_name", allow_null=True)
    organisation_kind = serializers.CharField(source="organisation_kind_label")
    region = serializers.CharField(
        source="region_label", help_text="Blank when unknown, or when it would narrow an anonymised lesson's host."
    )
    author = serializers.CharField(source="author_name", allow_null=True)
    contact_name = serializers.CharField(allow_null=True)
    contact_email = serializers.CharField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    featured = serializers.BooleanField()
    language = serializers.CharField(help_text='The language the title and summary are written in: "en-gb" or "cy"')
    title_translation = serializers.CharField(
        allow_null=True, help_text="The title in the other language, when the author gave it; else null"
    )
    summary_translation = serializers.CharField(
        allow_null=True, help_text="The summary in the other language, when the author gave it; else null"
    )

    def get_evidence_level(self, view) -> int | None:
        return view.evidence_level or None

    def to_representation(self, lesson):
        # One Redactions per response: a page of lessons reads each organisation's people once.
        redactions = self.context.setdefault("redactions", Redactions())
        # As written, whatever the reader's language; the other language's text beside it.
        view = lesson_for_reader(lesson, self.context["organisation"], redactions=redactions, as_written=True)
        return super().to_representation(view)


class LessonViewSet(OrganisationAPIMixin, viewsets.ReadOnlyModelViewSet):
    """The sector library as you see it there; anonymised lessons have no organisation or people."""

    model = Lesson
    permission = "sharing.view_library"
    serializer_class = LessonSerializer
    filterset_class = LessonFilter

    def organisation_queryset(self):
        return Lesson.objects.visible_to(self.organisation)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        text = self.request.query_params.get("q", "")
        sort = self.request.query_params.get("sort", "")
        return queries.lessons_for_reading(
            queries.library_search(organisation=self.organisation, text=text, queryset=queryset, sort=sort)
        )

    def get_object(self):
        return queries.lesson_get_for_reader(
            user=self.request.user, organisation=self.organisation, pk=self.kwargs["pk"]
        )

    @extend_schema(responses=LessonSerializer)
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)
