"""Pages of the sector library, lessons, visits and following. Each: check, call, render."""

from functools import wraps

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import access
from accounts.access import permission_required
from innovation.models import Project
from sharing import queries, reading, services
from sharing.filters import LessonFilter
from sharing.forms import (
    AdoptForm,
    AnonymisedCheckForm,
    CapacityForm,
    FollowForm,
    LessonForm,
    PublishForm,
    ReasonForm,
    VisitDecisionForm,
    VisitRequestForm,
)
from sharing.models import Lesson, ServiceFollow, Visibility
from sharing.reading import lesson_for_reader, lessons_for_reader

PAGE_SIZE = 20


def library_reader(view):
    """Open to anyone; someone signed in reads as the organisation they are working in, if it is theirs."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated and request.organisation is None:
            url = reverse("accounts:choose-organisation")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        if request.user.is_authenticated:
            # Signed in, one reads as one's organisation, which a partner may not (their role is
            # not the council's own): refused, as the API refuses them, never shown internal lessons.
            access.require(request.user, "sharing.view_library", request.organisation)
        return view(request, *args, **kwargs)

    return wrapped


def _posted(request):
    # An empty POST is still a submission: `request.POST or None` would show no errors.
    return request.POST if request.method == "POST" else None


def _perm(request, perm: str) -> bool:
    return request.organisation is not None and access.may(request.user, perm, request.organisation)


@library_reader
def library_view(request):
    organisation = request.organisation
    lesson_filter = LessonFilter(
        request.GET or None, queryset=Lesson.objects.visible_to(organisation), organisation=organisation
    )
    chosen = lesson_filter.form.cleaned_data if lesson_filter.is_valid() else {}
    text = chosen.get("q") or ""
    lessons = queries.library_search(
        organisation=organisation, text=text, queryset=lesson_filter.qs, sort=chosen.get("sort") or ""
    )
    page = queries.library_page(lessons, request.GET.get("page"), PAGE_SIZE, searched=bool(text))
    return render(
        request,
        "sharing/library.html",
        {
            "form": lesson_filter.form,
            "page": page,
            "results": lessons_for_reader(page.object_list, organisation),
            "searched": bool(request.GET),
        },
    )


@library_reader
def lesson_detail_view(request, pk: int):
    organisation = request.organisation
    lesson = queries.lesson_get_for_reader(user=request.user, organisation=organisation, pk=pk)
    view = lesson_for_reader(lesson, organisation)
    is_shared = lesson.is_published and lesson.is_shown_outside
    from_elsewhere = organisation is not None and not view.is_own and is_shared
    return render(
        request,
        "sharing/lesson_detail.html",
        {
            "lesson": view,
            "record": lesson if view.is_own else None,
            "adoptions": (
                queries.lesson_adoptions(lesson=lesson, reader=organisation) if is_shared or view.is_own else []
            ),
            "can_edit": view.is_own and _perm(request, "sharing.write_lesson"),
            "can_publish": view.is_own and _perm(request, "sharing.publish_internally"),
            "can_check": view.is_own and _perm(request, "sharing.publish_beyond"),
            "can_withdraw": view.is_own and lesson.is_published and _perm(request, "sharing.withdraw_lesson"),
            "can_adopt": from_elsewhere and _perm(request, "sharing.adopt_lesson"),
            "can_visit": from_elsewhere and _perm(request, "sharing.request_visit"),
            "can_feature": is_shared and _perm(request, "sharing.feature_lesson"),
        },
    )


@permission_required("sharing.view_lessons")
def lesson_list_view(request):
    lessons = queries.lesson_list_for_organisation(user=request.user, organisation=request.organisation)
    rows = [(lesson, lesson_for_reader(lesson, request.organisation)) for lesson in lessons]
    return render(
        request, "sharing/lesson_list.html", {"rows": rows, "can_write": _perm(request, "sharing.write_lesson")}
    )


@permission_required("sharing.write_lesson")
@require_http_methods(["GET", "POST"])
def lesson_create_view(request):
    initial = {}
    project_id = request.GET.get("project")
    if project_id and project_id.isascii() and project_id.isdigit():  # "²" is a digit to isdigit, not to int
        project = get_object_or_404(Project.objects.for_organisation(request.organisation), pk=project_id)
        initial = {"project": project, "title": _("Lessons from %(title)s") % {"title": project.title}}
    form = LessonForm(_posted(request), organisation=request.organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            lesson = services.lesson_create(
                actor=request.user, project=form.cleaned_data["project"], **form.lesson_fields()
            )
        except services.SharingError as error:
            form.add_error("project", str(error))
        else:
            messages.success(request, _("Lesson saved as a draft. Publish it when it is ready."))
            return redirect(lesson.get_absolute_url())
    return render(request, "sharing/lesson_form.html", {"form": form, "creating": True})


@permission_required("sharing.write_lesson")
@require_http_methods(["GET", "POST"])
def lesson_update_view(request, pk: int):
    lesson = queries.lesson_get_for_owner(organisation=request.organisation, pk=pk)
    initial = {name: getattr(lesson, name) for name in services.LESSON_TEXT_FIELDS}
    form = LessonForm(_posted(request), organisation=request.organisation, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.lesson_update(actor=request.user, lesson=lesson, **form.lesson_fields())
        messages.success(request, _("Lesson saved."))
        return redirect(lesson.get_absolute_url())
    return render(request, "sharing/lesson_form.html", {"form": form, "lesson": lesson})


@permission_required("sharing.publish_internally")
@require_http_methods(["GET", "POST"])
def lesson_publish_view(request, pk: int):
    lesson = queries.lesson_get_for_owner(organisation=request.organisation, pk=pk)
    can_beyond = _perm(request, "sharing.publish_beyond")
    form = PublishForm(_posted(request), can_publish_beyond=can_beyond, initial={"visibility": lesson.visibility})
    if request.method == "POST" and form.is_valid():
        visibility = form.cleaned_data["visibility"]
        if lesson.needs_anonymised_check_at(visibility):  # only after checking the preview
            url = reverse("sharing:lesson-publish-anonymised", args=[lesson.pk])
            if visibility != Visibility.ANONYMISED:
                url = f"{url}?{urlencode({'visibility': visibility})}"
            return redirect(url)
        lesson = services.lesson_publish(actor=request.user, lesson=lesson, visibility=visibility)
        shown = lesson.get_visibility_display().split(":")[0].lower()
        messages.success(request, _("Lesson published: %(visibility)s.") % {"visibility": shown})
        return redirect(lesson.get_absolute_url())
    return render(
        request,
        "sharing/lesson_publish.html",
        {"form": form, "lesson": lesson, "can_beyond": can_beyond},
    )


PUBLISH_CHECKED = {
    Visibility.ANONYMISED: gettext_lazy("Publish anonymously"),
    Visibility.SECTOR: gettext_lazy("Publish to the sector"),
    Visibility.PUBLIC: gettext_lazy("Publish to the public"),
}
# What the page says once the lesson is published at each visibility.
PUBLISHED_CHECKED = {
    Visibility.ANONYMISED: gettext_lazy("Lesson published anonymously."),
    Visibility.SECTOR: gettext_lazy("Lesson published to the sector."),
    Visibility.PUBLIC: gettext_lazy("Lesson published to the public."),
}


def _checked_visibility(lesson: Lesson, asked: str | None) -> str:
    """The visibility the preview publishes at: as asked (the publish page passes it on) where
    that needs the check, else the lesson's own when an admin comes back to check it again after
    an edit, else anonymised."""
    for visibility in (asked, lesson.visibility):
        if visibility in PUBLISH_CHECKED and lesson.needs_anonymised_check_at(visibility):
            return visibility
    return Visibility.ANONYMISED


@permission_required("sharing.publish_beyond")
@require_http_methods(["GET", "POST"])
def lesson_publish_anonymised_view(request, pk: int):
    lesson = queries.lesson_get_for_owner(organisation=request.organisation, pk=pk)
    # In the query string, which the page's form posts back to, so that both see the same choice.
    visibility = _checked_visibility(lesson, request.GET.get("visibility"))
    form = AnonymisedCheckForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_publish(
                actor=request.user,
                lesson=lesson,
                visibility=visibility,
                checked_preview=form.cleaned_data["digest"],
            )
        except services.SharingError as error:
            form.add_error("confirmed", str(error))
        else:
            messages.success(request, PUBLISHED_CHECKED[visibility])
            return redirect(lesson.get_absolute_url())
    # The page always shows, and its form always carries the fingerprint of, the words as they are now.
    preview = reading.lesson_preview(lesson)
    return render(
        request,
        "sharing/lesson_publish_anonymised.html",
        {
            "form": form,
            "record": lesson,
            "preview": preview,
            "visibility": visibility,
            "action": PUBLISH_CHECKED[visibility],
        },
    )


@permission_required("sharing.withdraw_lesson")
@require_http_methods(["GET", "POST"])
def lesson_withdraw_view(request, pk: int):
    lesson = queries.lesson_get_for_owner(organisation=request.organisation, pk=pk)
    form = ReasonForm(
        _posted(request), label=_("Why are you withdrawing it?"), message=_("Enter why the lesson is being withdrawn")
    )
    if request.method == "POST" and form.is_valid():
        services.lesson_withdraw(actor=request.user, lesson=lesson, reason=form.cleaned_data["reason"])
        messages.success(request, _("Lesson withdrawn. Nobody outside your organisation can find it now."))
        return redirect(lesson.get_absolute_url())
    return render(
        request,
        "sharing/lesson_reason.html",
        {"form": form, "lesson": lesson_for_reader(lesson, request.organisation), "action": "withdraw"},
    )


@permission_required("sharing.feature_lesson")
@require_http_methods(["GET", "POST"])
def lesson_feature_view(request, pk: int):
    lesson = get_object_or_404(queries.lessons_for_reading(Lesson.objects.shared()), pk=pk)
    form = ReasonForm(
        _posted(request), label=_("Why are you featuring it?"), message=_("Enter why you are featuring this lesson")
    )
    if request.method == "POST" and "unfeature" in request.POST:
        services.lesson_unfeature(actor=request.user, organisation=request.organisation, lesson=lesson)
        messages.success(request, _("Lesson no longer featured."))
        return redirect(lesson.get_absolute_url())
    if request.method == "POST" and form.is_valid():
        services.lesson_feature(
            actor=request.user, organisation=request.organisation, lesson=lesson, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Lesson featured. It now leads the library."))
        return redirect(lesson.get_absolute_url())
    return render(
        request,
        "sharing/lesson_reason.html",
        {
            "form": form,
            "lesson": lesson_for_reader(lesson, request.organisation),
            "action": "feature",
            "is_featured": lesson.featured,
        },
    )


def _lesson_from_elsewhere(request, pk: int):
    lesson = get_object_or_404(
        queries.lessons_for_reading(Lesson.objects.shared().exclude(organisation=request.organisation)), pk=pk
    )
    return lesson, lesson_for_reader(lesson, request.organisation)


@permission_required("sharing.adopt_lesson")
@require_http_methods(["GET", "POST"])
def lesson_adopt_view(request, pk: int):
    lesson, view = _lesson_from_elsewhere(request, pk)
    form = AdoptForm(_posted(request), organisation=request.organisation, initial={"title": view.title})
    if request.method == "POST" and form.is_valid():
        try:
            adoption = services.adoption_create(
                actor=request.user, organisation=request.organisation, lesson=lesson, **form.cleaned_data
            )
        except services.SharingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your idea has been logged, linked to the lesson it came from."))
            return redirect(adoption.idea.get_absolute_url() if _has_url("innovation:idea-detail") else view.url)
    refusal = queries.adoption_refusal(lesson=lesson, organisation=request.organisation)
    return render(request, "sharing/lesson_adopt.html", {"form": form, "lesson": view, "refusal": refusal})


def _has_url(name: str) -> bool:
    try:
        reverse(name, args=[1])
    except Exception:  # noqa: BLE001 - innovation's idea page may not exist yet
        return False
    return True


@permission_required("sharing.request_visit")
@require_http_methods(["GET", "POST"])
def visit_request_view(request, pk: int):
    lesson, view = _lesson_from_elsewhere(request, pk)
    # A visitor to an anonymised lesson is told nothing of the host's places (None: not shown).
    places_left = None if view.is_anonymised else queries.visit_places_shown(lesson.organisation)
    form = VisitRequestForm(_posted(request), places_left=places_left)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_request_create(
                actor=request.user, organisation=request.organisation, lesson=lesson, **form.cleaned_data
            )
        except services.SharingError as error:
            form.add_error("kind", str(error))
        else:
            sent = (
                _(services.BROKERED_REQUEST_SENT)
                if view.is_anonymised
                else _("Your visit request has been sent. We will email you when the host replies.")
            )
            link = services.visit_request_path(visit)
            messages.success(
                request,
                format_html(
                    '{} <a class="govuk-notification-banner__link" href="{}">See your visit request</a>.', sent, link
                ),
            )
            return redirect(view.url)
    return render(request, "sharing/visit_request.html", {"form": form, "lesson": view, "places_left": places_left})


@permission_required("sharing.view_lessons")
def visit_list_view(request):
    organisation = request.organisation
    made = list(queries.visit_requests_made(organisation=organisation))
    return render(
        request,
        "sharing/visit_list.html",
        {
            "hosted": queries.visit_requests_hosted(organisation=organisation)
            if _perm(request, "sharing.host_visits")
            else None,
            # Read as one batch: the people of every anonymised lesson's organisation in one query.
            "made": list(zip(made, lessons_for_reader([visit.lesson for visit in made], organisation), strict=True)),
            "per_quarter": queries.visits_per_quarter(organisation),
            "places_left": queries.visit_places_left(organisation),
            "can_set_capacity": _perm(request, "sharing.set_visit_capacity"),
        },
    )


@permission_required("sharing.host_visits")
@require_http_methods(["GET", "POST"])
def visit_decide_view(request, pk: int):
    visit = queries.visit_request_get_for_host(organisation=request.organisation, pk=pk)
    form = VisitDecisionForm(_posted(request))
    if request.method == "POST" and visit.status != visit.Status.PENDING:
        raise access.Refused(_("This visit request has already been answered."))
    if request.method == "POST" and form.is_valid():
        services.visit_request_decide(
            actor=request.user,
            organisation=request.organisation,
            visit_request=visit,
            accept=form.cleaned_data["decision"] == "accept",
            response=form.cleaned_data["response"],
        )
        messages.success(request, _("Your answer has been sent."))
        return redirect("sharing:visit-list")
    return render(
        request,
        "sharing/visit_decide.html",
        {
            "form": form,
            "visit": visit,
            "anonymised": lesson_for_reader(visit.lesson, visit.requester_organisation).is_anonymised,
            "places_left": queries.visit_places_left(request.organisation),
        },
    )


@permission_required("sharing.set_visit_capacity")
@require_http_methods(["GET", "POST"])
def visit_capacity_view(request):
    form = CapacityForm(
        _posted(request), initial={"visits_per_quarter": queries.visits_per_quarter(request.organisation)}
    )
    if request.method == "POST" and form.is_valid():
        services.visit_capacity_set(actor=request.user, organisation=request.organisation, **form.cleaned_data)
        messages.success(request, _("Visit capacity saved."))
        return redirect("sharing:visit-list")
    return render(request, "sharing/visit_capacity.html", {"form": form})


# Following services brings the organisation's new lessons in a digest: not for a partner.
@permission_required("sharing.follow_services")
@require_http_methods(["GET", "POST"])
def following_view(request):
    current = list(ServiceFollow.objects.filter(user=request.user).values_list("service", flat=True))
    form = FollowForm(_posted(request), initial={"services": current})
    if request.method == "POST" and form.is_valid():
        services.service_follows_set(user=request.user, services=form.cleaned_data["services"])
        messages.success(request, _("Your choices have been saved."))
        return redirect("sharing:following")
    return render(request, "sharing/following.html", {"form": form})


@permission_required("sharing.view_sector_figures")
def sector_view(request):
    return render(request, "sharing/sector.html", {"figures": queries.sector_figures(), "visibility": Visibility})
