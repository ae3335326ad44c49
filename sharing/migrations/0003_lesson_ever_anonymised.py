"""Once anonymised, always anonymous to outsiders: when each lesson was first published
anonymised, which visit requests were brokered, and the adopters' consent to be named publicly.

`anonymised_at` is filled from the lessons' history (the earliest published, anonymised
version), so that a lesson anonymised once and since made internal, withdrawn or published
with its name stays anonymised to other organisations; a lesson anonymised now with no such
history row takes its publication time. A visit request was brokered if its lesson had been
anonymised by the time it was made. Adopters have not been asked: nobody is named publicly.
"""

from django.db import migrations, models
from django.db.models import F, Min


def fill(apps, schema_editor):
    Lesson = apps.get_model("sharing", "Lesson")
    HistoricalLesson = apps.get_model("sharing", "HistoricalLesson")
    VisitRequest = apps.get_model("sharing", "VisitRequest")
    first = (
        HistoricalLesson.objects.filter(visibility="anonymised", published_at__isnull=False)
        .values("id")
        .annotate(first=Min("history_date"))
    )
    for row in first:
        Lesson.objects.filter(pk=row["id"], anonymised_at__isnull=True).update(anonymised_at=row["first"])
    Lesson.objects.filter(visibility="anonymised", anonymised_at__isnull=True).update(
        anonymised_at=models.functions.Coalesce(F("published_at"), F("updated_at"))
    )
    VisitRequest.objects.filter(lesson__anonymised_at__lte=F("created_at")).update(brokered=True)


class Migration(migrations.Migration):
    dependencies = [("sharing", "0002_lesson_search_gin")]

    operations = [
        migrations.AddField(
            model_name="adoption",
            name="named_publicly",
            field=models.BooleanField(default=False, verbose_name="name us to people who are not signed in"),
        ),
        migrations.AddField(
            model_name="historicallesson",
            name="anonymised_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="lesson",
            name="anonymised_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="visitrequest",
            name="brokered",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
