"""Every email Lantern sends a person: notices, which their preferences govern, and the few
transactional emails that must reach them whatever they chose.

A notice is one thing to tell a person about their work: an idea screened, a risk escalated,
a request to visit. Each app registers its own kinds here from its AppConfig.ready(), with a
label and a default frequency, so accounts knows no domain. A person's NotificationPreference
for a kind says whether they hear of it straight away, in the daily or the weekly digest, or
never; one digest a day and one a week gather everything waiting for a person, of every kind
and every app, into one email.

Some kinds are summaries rather than events (the new lessons in the services a person
follows): nothing happens at one moment to send, so the app gives a `summary` that writes the
person's section as the digest goes out, reading what is true then (a lesson withdrawn since
is not in it), and such kinds are offered as a daily or weekly digest, or never.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import access_cache, languages, tasks
from accounts.models import Notice, NotificationPreference, Organisation, User

Frequency = NotificationPreference.Frequency
PERIOD = {Frequency.DAILY: datetime.timedelta(days=1), Frequency.WEEKLY: datetime.timedelta(days=7)}
SETTINGS_URL_NAME = "accounts:notification-settings"


@dataclass(frozen=True)
class NoticeKind:
    """A kind of notice a person can choose how to receive."""

    value: str
    label: str
    default: str = Frequency.IMMEDIATELY
    # For a summary kind: the person's section of a digest covering the time since the
    # datetime given ("" when there is nothing), and the ids of everyone who may have one.
    summary: Callable[[User, datetime.datetime], str] | None = None
    readers: Callable[[], Iterable[int]] | None = None

    @property
    def frequencies(self) -> list[tuple[str, str]]:
        if self.summary is None:
            return Frequency.choices
        return [(value, label) for value, label in Frequency.choices if value != Frequency.IMMEDIATELY]


_KINDS: dict[str, NoticeKind] = {}


def kind_register(
    value: str,
    label: str,
    *,
    default: str = Frequency.IMMEDIATELY,
    summary: Callable[[User, datetime.datetime], str] | None = None,
    readers: Callable[[], Iterable[int]] | None = None,
) -> None:
    """Adds a kind of notice, and a question on the email settings page; called from AppConfig.ready()."""
    kind = NoticeKind(value=value, label=label, default=default, summary=summary, readers=readers)
    if (summary is None) != (readers is None):
        raise ImproperlyConfigured(f"Notice kind {value}: a summary needs its readers, and readers a summary.")
    if default not in dict(kind.frequencies):
        raise ImproperlyConfigured(f"Notice kind {value} cannot default to {default}.")
    if _KINDS.setdefault(value, kind) != kind:
        raise ImproperlyConfigured(f"Two kinds of notice are called {value}.")


def kinds() -> list[NoticeKind]:
    """Every kind of notice, in the order the apps registered them."""
    return list(_KINDS.values())


def absolute_url(target, *args) -> str:
    """The full address of a page, for a link in an email.

    `target` is a path ("/reports/schedules/"), a URL name with its arguments
    ("risk:risk-detail", 4), or anything with a get_absolute_url().
    """
    if hasattr(target, "get_absolute_url"):
        path = target.get_absolute_url()
    elif target.startswith("/"):
        path = target
    else:
        path = reverse(target, args=args)
    return settings.SITE_URL.rstrip("/") + path


def email_send(*, to: list[str], subject: str, body: str) -> None:
    """Emails that reach a person whatever they chose for notices: a password reset, an
    invitation, a warning about their sign-in.

    These bypass preferences on purpose: each is either the person's own request or
    something they must know to keep their account safe, not news about work that they may
    choose to hear less of. Queued after the transaction commits, so a refused change sends nothing.
    """
    tasks.send_email.delay_on_commit(to=to, subject=subject, body=body)


# ---------------------------------------------------------------- preferences


def preference_for(user: User, kind: str) -> str:
    """How the person wants this kind: what they chose, or the kind's default until they choose."""
    chosen = NotificationPreference.objects.filter(user=user, kind=kind).values_list("frequency", flat=True).first()
    return chosen or _KINDS[kind].default


def preferences_of(user: User) -> dict[str, str]:
    """How the person receives every kind of notice."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind.value: chosen.get(kind.value, kind.default) for kind in kinds()}


@transaction.atomic
def preference_set(*, actor: User, preferences: dict[str, str]) -> None:
    """Saves how a person wants each kind of notice; they can only change their own."""
    for kind, frequency in preferences.items():
        if kind not in _KINDS or frequency not in dict(_KINDS[kind].frequencies):
            raise ValueError(f"Unknown notice kind or frequency: {kind}, {frequency}")
        NotificationPreference.objects.update_or_create(user=actor, kind=kind, defaults={"frequency": frequency})


# ---------------------------------------------------------------- sending


def notice_send(
    *, user: User, organisation: Organisation, kind: str, subject: str, body: str, url: str | None = None
) -> Notice:
    """Emails a notice after the transaction commits, or keeps it for the person's digest, and
    lists it on their notifications page either way.

    Runs inside the caller's transaction, so a refused change sends nothing. `organisation`
    is the one the person hears about it in; `url` is the page where they act, linked from the
    notifications page and ending the email's body unless the body already gives it. A person
    who chose "never" gets no email, but the notice is still on their notifications page: it
    is their work, and the page is where they find it.
    """
    frequency = preference_for(user, kind)
    # One line: a title pasted with line breaks must not break the email's headers.
    subject = " ".join(subject.split())[: Notice._meta.get_field("subject").max_length]
    if url and url not in body:
        body = f"{body}\n\n{url}"
    immediate = frequency == Frequency.IMMEDIATELY
    notice = Notice.objects.create(
        organisation=organisation,
        user=user,
        kind=kind,
        subject=subject,
        body=body,
        url=_site_path(url),
        frequency=frequency,
        sent_at=timezone.now() if immediate else None,
    )
    if immediate:
        with languages.in_language_of(user, organisation):
            # Translators: the end of every notice's email; %(organisation)s is a council's name.
            footer = _("Lantern, for %(organisation)s.\nChoose which emails you get, and how often, at %(url)s") % {
                "organisation": organisation.name,
                "url": absolute_url(SETTINGS_URL_NAME),
            }
        tasks.send_email.delay_on_commit(to=[user.email], subject=subject, body=f"{body}\n\n—\n{footer}")
    return notice


def _site_path(url: str | None) -> str:
    """The path of a link on this site, for the notifications page; "" for anything else, so
    that the page never links away from Lantern."""
    site = settings.SITE_URL.rstrip("/")
    if not url:
        return ""
    if url.startswith(site + "/"):
        url = url[len(site) :]
    return url[:500] if url.startswith("/") and not url.startswith("//") else ""


@transaction.atomic
def digest_send(*, frequency: str, now: datetime.datetime | None = None, users: Iterable[User] | None = None) -> int:
    """Sends each person one email of everything waiting for them, of every kind. Returns emails sent.

    Notices come newest first, then the summaries written now for the period. Nobody with
    nothing waiting gets an email. Notices are locked and marked sent in the same transaction,
    so two beat runs cannot send the same notice twice. `users` limits it to those people.
    """
    now = now or timezone.now()
    user_ids = None if users is None else {user.pk for user in users}
    waiting = Notice.objects.select_for_update().filter(frequency=frequency, sent_at__isnull=True)
    if user_ids is not None:
        waiting = waiting.filter(user_id__in=user_ids)
    notices: dict[int, list[Notice]] = defaultdict(list)
    people: dict[int, User] = {}
    for notice in waiting.select_related("user", "organisation").order_by("user_id", "-created_at", "-pk"):
        notices[notice.user_id].append(notice)
        people[notice.user_id] = notice.user
    summaries = _summaries(frequency=frequency, since=now - PERIOD[frequency], user_ids=user_ids, people=people)
    for pk, user in people.items():
        with languages.in_language_of(user, notices[pk][0].organisation if notices[pk] else None):
            sections = [
                f"{date_format(n.created_at, 'j F Y')} – {n.subject} ({n.organisation.name})\n\n{n.body}"
                for n in notices[pk]
            ] + summaries[pk]
            subject = _digest_subject(frequency, len(sections))
            footer = _("Change how often you get these at %(url)s") % {"url": absolute_url(SETTINGS_URL_NAME)}
        tasks.send_email.delay_on_commit(
            to=[user.email],
            subject=subject,
            body=("\n\n" + "-" * 40 + "\n\n").join(sections) + f"\n\n—\n{footer}",
        )
    Notice.objects.filter(pk__in=[n.pk for items in notices.values() for n in items]).update(sent_at=now)
    return len(people)


def _digest_subject(frequency: str, count: int) -> str:
    if frequency == Frequency.DAILY:
        text = ngettext(
            "Your daily Lantern digest: %(count)s update", "Your daily Lantern digest: %(count)s updates", count
        )
    else:
        text = ngettext(
            "Your weekly Lantern digest: %(count)s update", "Your weekly Lantern digest: %(count)s updates", count
        )
    return text % {"count": count}


def _summaries(
    *, frequency: str, since: datetime.datetime, user_ids: set[int] | None, people: dict[int, User]
) -> dict[int, list[str]]:
    """Each summary kind's section for everyone who takes it at this frequency; adds them to `people`."""
    found: dict[int, list[str]] = defaultdict(list)
    for kind in kinds():
        if kind.summary is None:
            continue
        readers = set(kind.readers())
        if user_ids is not None:
            readers &= user_ids
        chosen = dict(
            NotificationPreference.objects.filter(kind=kind.value, user_id__in=readers).values_list(
                "user_id", "frequency"
            )
        )
        wanting = [pk for pk in readers if chosen.get(pk, kind.default) == frequency]
        for user in User.objects.filter(pk__in=wanting, is_active=True).order_by("pk"):
            with languages.in_language_of(user):  # written as the digest goes out: in its reader's language
                text = kind.summary(user, since)
                if text:
                    people.setdefault(user.pk, user)
                    found[user.pk].append(f"{kind.label}\n\n{text}")
    return found


# ---------------------------------------------------------------- the notifications page


def inbox_for(*, user: User, organisation: Organisation) -> QuerySet[Notice]:
    """The person's notices in the organisation they work in, newest first."""
    return Notice.objects.for_organisation(organisation).filter(user=user).order_by("-created_at", "-pk")


def notice_mark_read(*, actor: User, organisation: Organisation, pk: int) -> Notice:
    """Marks one of the person's own notices read; anyone else's, or another organisation's, is a 404."""
    notice = get_object_or_404(inbox_for(user=actor, organisation=organisation), pk=pk)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notice_mark_all_read(*, actor: User, organisation: Organisation) -> int:
    """Marks every unread notice of the person's in the organisation read. Returns how many."""
    unread = inbox_for(user=actor, organisation=organisation).filter(read_at__isnull=True)
    marked = unread.update(read_at=timezone.now())
    # An update sends no signal: the header's count (accounts.access_cache) is told here.
    access_cache.unread_forget(user_id=actor.pk, organisation_id=organisation.pk)
    return marked
