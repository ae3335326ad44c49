"""The committee pack as a PDF: a council committee report for elected members, drawn with reportlab.

It takes plain values (reports/committee_pack.py gathers them from every app, tenant-scoped)
and lays them out the way a UK council's committee report reads: a heading block (report to,
date of meeting, report of), the purpose of the report and its recommendations, then numbered
sections and an appendix. Everything is real text in an embedded font, the PDF is tagged
(reports.tagged_pdf: headings, tables with their header cells, reading order), the headings are
its outline (bookmarks), and it carries its title, author, subject and language, so a screen
reader and a search can use it. Every value typed by someone goes through `escape`,
because reportlab's Paragraph reads its text as markup.
"""

from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from reports.pack_data import AwaitingProject, HeatGrid, Pack
from reports.pack_style import (
    GREY,
    RULE,
    PackDocument,
    Styles,
    band_colours,
    long_date,
    money,
    number,
    para,
    table,
)
from reports.tagged_pdf import SANS


def write(path: str, pack: Pack, progress: Callable[[int], None] | None = None) -> int:
    """Writes the committee pack to `path`; returns the number of projects awaiting decision in it."""
    s = Styles()
    width = A4[0] - 36 * mm
    cover = pack.cover
    story: list = []
    # Each section, and the per cent done once it is laid out (the build itself is quick).
    sections = [
        (_heading, 10),
        (_summary, 25),
        (_awaiting, 50),
        (_gaps, 65),
        (_heat_maps, 80),
        (_lessons, 88),
        (_decisions, 92),
    ]
    for section, done in [*sections, (_appendix, 95)]:
        story.extend(section(pack, s, width))
        if progress is not None:
            progress(done)

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(SANS, 8)
        canvas.drawString(
            18 * mm, 10 * mm, f"{cover.organisation} – {cover.committee}, {long_date(cover.meeting_date)}"
        )
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, _("Page %(number)s") % {"number": document.page})
        canvas.restoreState()

    document = PackDocument(
        path,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{cover.title}: {cover.committee}, {long_date(cover.meeting_date)}",
        author=cover.organisation,
        subject=_("Committee report on the innovation portfolio"),
        creator="Lantern",
        displayDocTitle=True,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return len(pack.awaiting)


def _heading(pack: Pack, s: Styles, width: float) -> list:
    """The heading block, the purpose of the report and its recommendations."""
    cover = pack.cover
    story: list = []
    story.append(para(cover.organisation, s.body))
    story.append(para(cover.title, s.title))
    block = [
        (_("Report to"), cover.committee),
        (_("Date of meeting"), long_date(cover.meeting_date)),
        (_("Report of"), cover.report_of),
        (_("Date of report"), long_date(cover.report_date)),
        (_("Subject"), _("The innovation portfolio, projects awaiting decision, service gaps, risks and lessons")),
    ]
    story.append(
        table(
            [[para(label, s.label), para(value, s.value)] for label, value in block],
            [40 * mm, width - 40 * mm],
            header_rows=0,
            extra_style=[("LINEABOVE", (0, 0), (-1, 0), 0.25, RULE)],
        )
    )
    story.append(Spacer(1, 4 * mm))
    story.append(para(_("Purpose of the report"), s.h1))
    story.append(
        para(
            _(
                "To give the %(committee)s an overview of the authority's innovation portfolio: the projects at "
                "each stage and what they cost and return, the projects awaiting members' decision with their "
                "business case and risks, where services fall furthest short of what the authority aspires to, the "
                "risks across the portfolio, and what the authority and the sector have recently learned."
            )
            % {"committee": cover.committee},
            s.body,
        )
    )
    story.append(para(_("Recommendations"), s.h1))
    story.append(para(_("That the %(committee)s:") % {"committee": cover.committee}, s.body))
    recommendations = [_("notes the portfolio summary in section 1;")]
    if pack.awaiting:
        count = len(pack.awaiting)
        recommendations.append(
            ngettext(
                "considers the %(count)s project awaiting decision in section 2, with "
                "their business cases and risk assessments, before the decisions are recorded;",
                "considers the %(count)s projects awaiting decision in section 2, with "
                "their business cases and risk assessments, before the decisions are recorded;",
                count,
            )
            % {"count": count}
        )
    else:
        recommendations.append(_("notes that no project is awaiting members' decision (section 2);"))
    recommendations.append(_("notes the biggest gaps between performance and aspiration in section 3;"))
    recommendations.append(_("notes the risk profile of the portfolio in section 4 and the lessons in section 5."))
    for letter, text in zip("abcdefgh", recommendations, strict=False):
        story.append(para(f"({letter}) {text}", s.body.clone("rec", leftIndent=8 * mm, firstLineIndent=-6 * mm)))
    return story


def _summary(pack: Pack, s: Styles, width: float) -> list:
    """1: projects by stage with their budgets, whole-life cost and net value."""
    story: list = []
    story.append(para(_("1. Portfolio summary"), s.h1))
    live = [line for line in pack.stages if line.count]
    total = sum(line.count for line in pack.stages)
    story.append(
        para(
            ngettext(
                "1.1 The portfolio holds %(count)s project. Costs and net value are those of "
                "each project's preferred option, innovating, from its business case: whole-life cost is the one-off "
                "cost plus the yearly running cost over the option's horizon, and net value is the benefit over that "
                "horizon less those costs.",
                "1.1 The portfolio holds %(count)s projects. Costs and net value are those of "
                "each project's preferred option, innovating, from its business case: whole-life cost is the one-off "
                "cost plus the yearly running cost over the option's horizon, and net value is the benefit over that "
                "horizon less those costs.",
                total,
            )
            % {"count": total},
            s.body,
        )
    )
    header = [_("Stage"), _("Projects"), _("Budget"), _("Whole-life cost"), _("Net value")]
    rows = [[para(h, s.small_bold if i == 0 else s.small_bold_right) for i, h in enumerate(header)]]
    for line in live or pack.stages:
        rows.append(
            [
                para(line.label, s.small),
                para(line.count, s.small_right),
                para(money(line.budget), s.small_right),
                para(money(line.whole_life_cost), s.small_right),
                para(money(line.net_value), s.small_right),
            ]
        )
    rows.append(
        [
            para(_("Total"), s.small_bold),
            para(total, s.small_bold_right),
            para(money(sum((line.budget for line in pack.stages), Decimal(0))), s.small_bold_right),
            para(money(sum((line.whole_life_cost for line in pack.stages), Decimal(0))), s.small_bold_right),
            para(money(sum((line.net_value for line in pack.stages), Decimal(0))), s.small_bold_right),
        ]
    )
    story.append(table(rows, [width * 0.32, width * 0.12, width * 0.18, width * 0.2, width * 0.18]))
    return story


def _awaiting(pack: Pack, s: Styles, width: float) -> list:
    """2: each project awaiting decision, with its business case and risk summary."""
    story: list = []
    story.append(para(_("2. Projects awaiting decision"), s.h1))
    if not pack.awaiting:
        story.append(para(_("2.1 No project is awaiting members' decision."), s.body))
    for n, project in enumerate(pack.awaiting, start=1):
        story.extend(_awaiting_project(f"2.{n}", project, s, width))
    return story


def _gaps(pack: Pack, s: Styles, width: float) -> list:
    """3: the biggest gaps of the current gap report."""
    story: list = []
    story.append(para(_("3. The biggest gaps"), s.h1))
    if pack.gaps:
        story.append(
            para(
                _(
                    "3.1 From the gap report of %(date)s: the indicators where the authority "
                    "falls furthest short of its aspiration, biggest gap first. The gap is the shortfall as a "
                    "percentage of the aspiration; quartile 1 is the best quarter of the comparison group "
                    "(%(group)s), given only where at least 5 other organisations in it have reported "
                    "the period (or, if not yet, a figure in the four periods before: then "
                    "it is compared with the latest figure each council has reported). Where the gap is 10%% or more "
                    "and not improving, incremental improvement is unlikely to close it and innovation is indicated."
                )
                % {"date": long_date(pack.gap_report_date), "group": pack.comparison_group},
                s.body,
            )
        )
        header = [
            _("Indicator"),
            _("Period"),
            _("Actual"),
            _("Aspiration"),
            _("Gap"),
            _("Quartile in group"),
            _("Trend"),
            _("Innovate?"),
        ]
        rows = [[para(h, s.small_bold) for h in header]]
        for gap in pack.gaps:
            rows.append(
                [
                    para(f"{gap.indicator} ({gap.code})", s.small),
                    para(gap.period, s.small),
                    para(number(gap.actual), s.small_right),
                    para(number(gap.aspiration), s.small_right),
                    para(f"{gap.gap_pct:.1f}%" if gap.gap_pct is not None else "–", s.small_right),
                    para(_quartile(gap), s.small),
                    para(gap.trend or "–", s.small),
                    para(_("Incremental improvement unlikely") if gap.incremental_unlikely else _("No"), s.small),
                ]
            )
        story.append(
            table(
                rows,
                [w * width for w in (0.19, 0.1, 0.08, 0.115, 0.075, 0.18, 0.1, 0.16)],
            )
        )
    else:
        story.append(
            para(_("3.1 There is no gap report yet, or it shows no indicator short of its aspiration."), s.body)
        )
    return story


def _quartile(gap) -> str:
    """The quartile, or why members are given none: a council alone in a quarter does not lead the sector."""
    if gap.quartile is None:
        return gap.position_note
    return f"{gap.quartile}. {gap.position_note}" if gap.position_note else str(gap.quartile)


def _heat_maps(pack: Pack, s: Styles, width: float) -> list:
    """4: the heat maps after and before controls, and the same in words."""
    story: list = []
    story.append(para(_("4. Risk heat map"), s.h1))
    story.append(
        para(
            _(
                "4.1 The risks on the registers of projects under way, counted by likelihood and impact. Each square "
                "shows how many risks sit there; its colour is the band of its score (likelihood × impact), named in "
                "the key below."
            ),
            s.body,
        )
    )
    for n, grid in enumerate(pack.heat_maps, start=2):
        # Translators: a heat map's heading, e.g. "4.2 Risks after controls (residual): 12".
        heading = _("4.%(n)s Risks %(which)s: %(total)s") % {"n": n, "which": grid.label, "total": grid.total}
        story.append(KeepTogether([para(heading, s.h2), _heat_table(grid, pack, s)]))
        if grid.described:
            story.append(Spacer(1, 1.5 * mm))
            story.append(
                para(
                    _("Squares holding risks, highest score first: %(squares)s.")
                    % {"squares": "; ".join(grid.described)},
                    s.small,
                )
            )
    story.append(Spacer(1, 2 * mm))
    story.append(para(_("Key, by score: %(key)s.") % {"key": _band_key(pack)}, s.small))
    return story


def _lessons(pack: Pack, s: Styles, width: float) -> list:
    """5: the most recent lessons, as the authority may read them."""
    story: list = []
    story.append(para(_("5. Recent lessons"), s.h1))
    if pack.lessons:
        story.append(
            para(
                _(
                    "5.1 The lessons most recently published that the authority can read: its own and those the sector "
                    "has shared. Anonymised lessons are shown without the authority or the people they came from."
                ),
                s.body,
            )
        )
        for lesson in pack.lessons:
            story.append(para(lesson.title, s.h2))
            story.append(
                para(
                    _("%(host)s. %(service)s. Outcome: %(outcome)s. Published %(date)s.")
                    % {
                        "host": lesson.host,
                        "service": lesson.service,
                        "outcome": lesson.outcome,
                        "date": long_date(lesson.published),
                    },
                    s.small,
                )
            )
            story.append(para(lesson.summary, s.body))
    else:
        story.append(para(_("5.1 No lesson has been published yet."), s.body))
    return story


def _decisions(pack: Pack, s: Styles, width: float) -> list:
    """6: the records of decision taken since the last meeting, for members to note."""
    story: list = [para(_("6. Decisions taken since the last meeting"), s.h1)]
    since = long_date(pack.decisions_since)
    if not pack.decisions:
        story.append(
            para(_("6.1 No decision has been taken at the approval gate since %(date)s.") % {"date": since}, s.body)
        )
        return story
    count = len(pack.decisions)
    story.append(
        para(
            ngettext(
                "6.1 %(count)s decision taken at the approval gate since %(date)s, each from its "
                "record of decision: the reasons, the options rejected and any interest declared.",
                "6.1 %(count)s decisions taken at the approval gate since %(date)s, each from its "
                "record of decision: the reasons, the options rejected and any interest declared.",
                count,
            )
            % {"count": count, "date": since},
            s.body,
        )
    )
    for line in pack.decisions:
        story.append(para(f"{line.reference}: {line.project}", s.h2))
        # Translators: e.g. "Approved on 3 March 2026 by Cabinet."
        decided = _("%(outcome)s on %(date)s by %(body)s.")
        story.append(
            para(decided % {"outcome": line.outcome, "date": long_date(line.decided_on), "body": line.body}, s.small)
        )
        story.append(para(_("Reasons: %(reasons)s") % {"reasons": line.reasons}, s.body))
        for option in line.options_rejected:
            story.append(para(_("Option rejected – %(option)s") % {"option": option}, s.body))
        for interest in line.interests or [_("None declared.")]:
            story.append(para(_("Interests declared: %(interest)s") % {"interest": interest}, s.body))
    return story


def _appendix(pack: Pack, s: Styles, width: float) -> list:
    """Appendix A: how the figures are worked out."""
    story: list = []
    story.append(para(_("Appendix A. How the figures are worked out"), s.h1))
    for text in (
        _(
            "Net value (business case): yearly benefit × years, less the one-off cost, "
            "less the yearly running cost × years."
        ),
        _(
            "Risk score: likelihood (1–5) × impact (1–5), before controls (inherent) and after them (residual). "
            "Bands: %(bands)s. A residual score above the authority's risk appetite needs members to "
            "accept it explicitly when they approve."
        )
        % {"bands": _band_key(pack)},
        _(
            "Gap: 100 × (aspiration - actual) ÷ aspiration, with the sign turned for indicators where lower is "
            "better; positive is a shortfall."
        ),
        _(
            "Sector quartile: the share of the organisations compared doing no better (the percentile) — those that "
            "reported the indicator for the period or, where one has not yet, its latest figure from the four "
            "periods before — in quarters: 1 above 75, 2 above 50, 3 above 25, else 4. None is given unless at "
            "least 5 organisations other than the authority are compared: too few organisations have reported "
            "this period."
        ),
    ):
        story.append(para(text, s.body))
    return story


def _band_key(pack: Pack) -> str:
    return ", ".join(f"{name} {low}–{high}" for name, low, high in pack.band_ranges)


def _awaiting_project(number_: str, project: AwaitingProject, s: Styles, width: float) -> list:
    heading = _("%(number)s %(title)s (project %(reference)s)") % {
        "number": number_,
        "title": project.title,
        "reference": project.reference,
    }
    parts = [para(heading, s.h2)]
    parts.append(
        para(
            _("Owner: %(owner)s. Sponsoring member: %(sponsor)s. Awaiting decision since %(date)s.")
            % {
                "owner": project.owner,
                "sponsor": project.sponsor or _("none named"),
                "date": long_date(project.waiting_since),
            },
            s.small,
        )
    )
    parts.append(Spacer(1, 1.5 * mm))
    parts.append(para(_("Business case"), s.label))
    parts.append(para(project.case_summary or _("The business case has no summary."), s.body))
    if project.options:
        header = [_("Option"), _("One-off cost"), _("Running a year"), _("Benefit a year"), _("Years"), _("Net value")]
        rows = [[para(h, s.small_bold if i == 0 else s.small_bold_right) for i, h in enumerate(header)]]
        for option in project.options:
            label = _("%(option)s (recommended)") % {"option": option.label} if option.recommended else option.label
            rows.append(
                [
                    para(label, s.small),
                    para(money(option.one_off_cost), s.small_right),
                    para(money(option.running_cost), s.small_right),
                    para(money(option.benefit), s.small_right),
                    para(option.years if option.years is not None else "–", s.small_right),
                    para(money(option.net_value), s.small_right),
                ]
            )
        parts.append(table(rows, [w * width for w in (0.3, 0.14, 0.14, 0.14, 0.1, 0.18)]))
    parts.append(Spacer(1, 2 * mm))
    parts.append(para(_("Risk assessment"), s.label))
    if not project.risk_assessed:
        parts.append(para(_("No risk assessment has been recorded."), s.body))
        return parts
    if project.highest_residual is not None:
        appetite = (
            _("above the authority's risk appetite of %(appetite)s, so approval must accept it explicitly")
            if project.exceeds_appetite
            else _("within the authority's risk appetite of %(appetite)s")
        ) % {"appetite": project.appetite}
        headline = ngettext(
            "%(count)s open risk; the highest residual score is %(score)s (%(band)s), %(appetite)s.",
            "%(count)s open risks; the highest residual score is %(score)s (%(band)s), %(appetite)s.",
            project.open_risks,
        ) % {
            "count": project.open_risks,
            "score": project.highest_residual,
            "band": project.highest_band,
            "appetite": appetite,
        }
    else:
        headline = ngettext(
            "%(count)s open risk, none scored after controls.",
            "%(count)s open risks, none scored after controls.",
            project.open_risks,
        ) % {"count": project.open_risks}
    parts.append(para(headline, s.body))
    if project.risk_summary:
        parts.append(para(project.risk_summary, s.body))
    if project.top_risks:
        header = [_("Top risks"), _("Category"), _("Likelihood × impact"), _("Score"), _("Band"), _("Owner")]
        rows = [[para(h, s.small_bold) for h in header]]
        for risk in project.top_risks:
            rows.append(
                [
                    para(risk.title, s.small),
                    para(risk.category, s.small),
                    para(
                        f"{risk.likelihood} × {risk.impact}" if risk.likelihood is not None else _("not yet scored"),
                        s.small,
                    ),
                    para(risk.score if risk.score is not None else "–", s.small_right),
                    para(risk.band or "–", s.small),
                    para(risk.owner or "–", s.small),
                ]
            )
        parts.append(table(rows, [w * width for w in (0.3, 0.15, 0.15, 0.08, 0.12, 0.2)]))
    return parts


def _heat_table(grid: HeatGrid, pack: Pack, s: Styles) -> Table:
    header = [para(_("Impact (rows), likelihood (columns)"), s.small_bold)]
    header += [para(f"{n} {pack.likelihood_names[n]}", s.small_bold) for n in range(1, 6)]
    data = [header]
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.white), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    colours = band_colours()
    for row_index, (impact, name, cells) in enumerate(grid.rows, start=1):
        line = [para(f"{impact} {name}", s.small_bold)]
        for col_index, (count, band) in enumerate(cells, start=1):
            fill, ink = colours[band]
            line.append(Paragraph(str(count), s.cell.clone(f"cell-{band}", textColor=colors.HexColor(ink))))
            style.append(("BACKGROUND", (col_index, row_index), (col_index, row_index), colors.HexColor(fill)))
        data.append(line)
    style.append(("BACKGROUND", (0, 0), (-1, 0), GREY))
    style.append(("BACKGROUND", (0, 1), (0, -1), GREY))
    heat = Table(
        data, colWidths=[38 * mm] + [26 * mm] * 5, rowHeights=[None] + [11 * mm] * len(grid.rows), repeatRows=1
    )
    heat.setStyle(TableStyle(style))
    # Each count is read with its likelihood (the column's header) and its impact (the row's).
    heat.tag_row_headers = True
    return heat
