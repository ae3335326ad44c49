"""A record of decision as a PDF, in the shape of a council's published “Record of decision”:
the heading, the decision's particulars as labelled rows, then the reasons, the alternative
options considered and rejected, the interests declared and dispensations granted, the risk
accepted and the documents relied on. Drawn with the committee pack's tagged machinery
(reports.pack_style, reports.tagged_pdf), so a screen reader can use it.

One record is a page or two of reportlab, well under a second: it is made in the request, not as a job."""

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from innovation.queries import DecisionRecord
from reports import tagged_pdf
from reports.pack_style import PackDocument, Styles, long_date, money, para, table

MARGIN = 18 * mm


def write(record: DecisionRecord) -> bytes:
    """The PDF of `record`."""
    s = Styles()
    buffer = io.BytesIO()
    title = _("Record of decision %(reference)s") % {"reference": record.reference}
    document = PackDocument(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        # The reference alone: the file's metadata is not compressed, and a project's title is
        # whatever someone typed (the hostile-input walk reads every byte of every response).
        title=title,
        author=record.organisation,
    )
    width = A4[0] - 2 * MARGIN

    def footer(canvas, doc):
        canvas.setFont(tagged_pdf.SANS, 8)
        canvas.drawString(MARGIN, 10 * mm, f"{record.organisation} – {title}")
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, _("Page %(number)s") % {"number": doc.page})

    particulars = [
        (_("Decision reference"), record.reference),
        (
            _("Subject"),
            _("Project %(reference)s: %(title)s")
            % {"reference": record.project_reference, "title": record.project_title},
        ),
        (
            _("Decision taken by"),
            _("%(body)s (quorum %(quorum)s)") % {"body": record.body, "quorum": record.quorum}
            if record.quorum
            else record.body,
        ),
        (_("Date of decision"), long_date(record.decided_on)),
        (_("Decision"), f"{record.outcome_label}. {record.statement}"),
    ]
    if record.supersedes:
        particulars.append((_("Supersedes"), _("Decision %(reference)s") % {"reference": record.supersedes}))
    story = [
        para(record.organisation, s.body),
        para(title, s.title),
        table(
            [[para(label, s.label), para(value, s.value)] for label, value in particulars],
            [45 * mm, width - 45 * mm],
            header_rows=0,
        ),
        Spacer(1, 4 * mm),
        para(_("Decision-makers"), s.h1),
        table(
            [[para(h, s.small_bold) for h in (_("Name"), _("Role"), _("Attendance"))]]
            + [[para(m.name, s.small), para(m.role, s.small), para(m.note, s.small)] for m in record.makers],
            [50 * mm, 50 * mm, width - 100 * mm],
        ),
        para(_("Reasons for the decision"), s.h1),
        *[para(line, s.body) for line in record.reasons.splitlines() if line.strip()],
        para(_("Alternative options considered and rejected"), s.h1),
    ]
    if record.chosen_option:
        story.append(para(_("Option taken: %(option)s.") % {"option": record.chosen_option.lower()}, s.body))
    if record.options_rejected:
        story.append(
            table(
                [[para(h, s.small_bold) for h in (_("Option"), _("Net value"), _("Why it was rejected"))]]
                + [
                    [
                        para(o.label, s.small),
                        para(money(o.net_value) if o.net_value is not None else _("Not given"), s.small),
                        para(o.reason, s.small),
                    ]
                    for o in record.options_rejected
                ],
                [45 * mm, 30 * mm, width - 75 * mm],
            )
        )
    else:
        story.append(para(_("None: the decision was deferred and every option remains open."), s.body))
    story.append(para(_("Declarations of interest"), s.h1))
    if record.interests:
        for line in record.interests:
            after = (
                _("Dispensation: %(dispensation)s.") % {"dispensation": line.dispensation}
                if line.dispensation
                else _("No dispensation: did not take part in the decision.")
            )
            declared = _("%(name)s declared an interest: %(interest)s.") % {
                "name": line.name,
                "interest": line.description,
            }
            story.append(para(f"{declared} {after}", s.body))
    else:
        story.append(para(_("No conflict of interest was declared by any decision-maker."), s.body))
    story.append(para(_("Dispensations granted"), s.h1))
    if record.dispensations:
        story += [para(f"{line.name}: {line.dispensation}.", s.body) for line in record.dispensations]
    else:
        story.append(para(_("None."), s.body))
    story.append(para(_("Risk accepted"), s.h1))
    if record.accepted_risks:
        story.append(para(_("The decision accepts these risks above the organisation’s risk appetite:"), s.body))
        for risk in record.accepted_risks:
            score = (
                " " + _("(residual score %(score)s)") % {"score": risk["residual_score"]}
                if risk.get("residual_score")
                else ""
            )
            story.append(para(f"• {risk['title']}{score}", s.body))
    else:
        story.append(para(_("No risk above the organisation’s risk appetite was accepted."), s.body))
    story.append(para(_("Documents relied on"), s.h1))
    if record.documents:
        for doc in record.documents:
            story.append(para(f"• {doc['title']}" + (f", {doc['detail']}" if doc.get("detail") else ""), s.body))
    else:
        story.append(para(_("None recorded."), s.body))
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
