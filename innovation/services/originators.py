"""Telling whoever gave an idea what happened to it: the one place that does (R5, R6).

Everyone who gives an idea hears what became of it, in plain English: accepted, merged,
declined (with the reason), sent back for clarification, and, once it is a project, approved,
rejected, closed or abandoned. Someone with an account (staff, a member, a partner) hears it as
a notice, which their preferences govern. Someone outside the council without one (a resident
on a campaign's public page, or a person a member of staff logged the idea for) hears it by
email, only if they agreed to be contacted, and every such email carries a link that stops them.

The idea mover's verbs (innovation/services/ideas.py) and the project mover
(innovation/services/projects.py, `_move`) call `originator_tell` and `originator_project_moved`;
nothing else sends these.
"""

from collections.abc import Callable

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import languages, notices
from accounts.models import Organisation
from innovation.models import Idea, IdeaStage, NoticeKind, Project, ProjectStage

UNSUBSCRIBE_SALT = "lantern.innovation.originators.unsubscribe"

# What a project's move means to the person whose idea it came from; other moves (submitted
# for approval, deferred, into evaluation) are the council's working steps, not news to them.
PROJECT_NEWS = {
    ProjectStage.IMPLEMENTATION: (
        gettext_lazy("has been approved"),
        gettext_lazy("Councillors have approved it, and work on it has started."),
    ),
    ProjectStage.REJECTED: (
        gettext_lazy("was not approved"),
        gettext_lazy("Councillors decided not to go ahead with it."),
    ),
    ProjectStage.CLOSED: (
        gettext_lazy("has finished"),
        gettext_lazy("The project has finished and what it achieved has been evaluated."),
    ),
    ProjectStage.ABANDONED: (gettext_lazy("has been stopped"), gettext_lazy("The council has stopped the project.")),
}

# The project moves whose news projects.idea_author_tell gives the idea's author itself.
AUTHOR_TOLD_BY_PROJECT_SERVICES = {ProjectStage.IMPLEMENTATION, ProjectStage.CLOSED, ProjectStage.ABANDONED}


def unsubscribe_token(*, organisation: Organisation, email: str) -> str:
    """The signed part of an unsubscribe link: who (an address) and for which council's emails."""
    return signing.dumps({"o": organisation.pk, "e": email.lower()}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """(organisation id, email) from an unsubscribe link, or None if it was not made by Lantern.

    It never expires: an email about an idea may be read a year later, and the link must still work.
    """
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["o"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


@transaction.atomic
def originator_unsubscribe(*, organisation_id: int, email: str) -> int:
    """Stops every email to this address about the ideas it gave this council. Returns ideas changed."""
    ideas = Idea.objects.filter(
        organisation_id=organisation_id, originator_email__iexact=email, originator_unsubscribed_at__isnull=True
    )
    count = 0
    for idea in ideas.select_for_update():
        idea.originator_unsubscribed_at = timezone.now()
        idea._change_reason = "The originator unsubscribed from emails about it"
        idea.save(update_fields=["originator_unsubscribed_at"])
        count += 1
    return count


# A subject or body given as a function is written when called, in the language then active:
# the author's for their notice, the one of the request that caused it for an outsider's email.
Text = str | Callable[[], str]


def written(text: Text) -> str:
    return text() if callable(text) else text


def originator_tell(*, idea: Idea, subject: Text, body: Text, url: str | None = None, tell_author: bool = True) -> None:
    """Tells the idea's author (a notice) and its originator outside the council (an email, if they
    agreed and have not unsubscribed). Runs in the caller's transaction: a refused move sends nothing.

    `url` is a page the author can open; an outsider, who cannot, is not sent it. The author reads
    it in their language; the outsider, who has no account, in the language of the request.
    """
    if tell_author and idea.author_id is not None:
        with languages.in_language_of(idea.author, idea.organisation):
            author_body = written(body)
            if url:
                author_body = f"{author_body}\n\n{url}"
            if idea.originator_name and idea.originator_consent:
                author_body += "\n\n" + _("%(name)s, for whom you logged it, is told too.") % {
                    "name": idea.originator_name
                }
            notices.notice_send(
                user=idea.author,
                organisation=idea.organisation,
                kind=NoticeKind.SCREENING,
                subject=written(subject),
                body=author_body,
            )
    if idea.originator_email and idea.originator_consent and idea.originator_unsubscribed_at is None:
        token = unsubscribe_token(organisation=idea.organisation, email=idea.originator_email)
        unsubscribe = notices.absolute_url(reverse("public:unsubscribe", args=[token]))
        greeting = _("Dear %(name)s,") % {"name": idea.originator_name} + "\n\n" if idea.originator_name else ""
        notices.email_send(
            to=[idea.originator_email],
            subject=" ".join(written(subject).split()),
            body=_(
                "%(greeting)s%(body)s\n\nThank you for your idea.\n\n%(organisation)s\n\n—\n"
                "You are getting this because you gave this idea to %(organisation)s and agreed to be "
                "told what happened to it. To stop these emails: %(unsubscribe)s"
            )
            % {
                "greeting": greeting,
                "body": written(body),
                "organisation": idea.organisation.name,
                "unsubscribe": unsubscribe,
            },
        )


def originator_project_moved(*, project: Project, comment: str = "") -> None:
    """Called by the project mover after every move: tells whoever gave the idea, when it is news to them."""
    news = PROJECT_NEWS.get(project.stage)
    idea = project.idea
    if news is None or idea is None:
        return
    headline, sentence = news

    def body() -> str:
        text = _("Your idea “%(idea)s” became the project “%(project)s”. %(sentence)s") % {
            "idea": idea.title,
            "project": project.title,
            "sentence": sentence,
        }
        if project.stage == ProjectStage.ABANDONED and comment:
            text += "\n\n" + _("The reason given:\n\n%(reason)s") % {"reason": comment}
        return text

    originator_tell(
        idea=idea,
        # Translators: what is like "has been approved" or "has closed".
        subject=lambda: _("The project from your idea “%(title)s” %(what)s") % {"title": idea.title, "what": headline},
        body=body,
        url=notices.absolute_url(project),
        # An approval, closing or abandoning is told to the idea's author by the project's own
        # service (projects.idea_author_tell, with the rationale or reason); here only a rejection,
        # so that nobody hears twice.
        tell_author=project.stage not in AUTHOR_TOLD_BY_PROJECT_SERVICES,
    )


def stage_words(idea: Idea) -> str:
    """What happened to an idea, in the words its originator sees on their list."""
    if idea.stage == IdeaStage.ACCEPTED:
        project = getattr(idea, "project", None)
        if project is not None and project.stage in PROJECT_NEWS:
            return _("Accepted; the project %(what)s") % {"what": PROJECT_NEWS[project.stage][0]}
        return _("Accepted as a project")
    return {
        IdeaStage.SUBMITTED: _("Waiting to be screened"),
        IdeaStage.SCREENING: _("Being screened"),
        IdeaStage.CLARIFICATION: _("Sent back to you with a question"),
        IdeaStage.DECLINED: _("Declined"),
        IdeaStage.MERGED: _("Merged with a similar idea"),
    }[idea.stage]
