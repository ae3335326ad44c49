"""Reads for optimism bias: a business case's options as written and as adjusted, and the uplift
table an organisation uses (the guidance's, or its own where an admin has set one)."""

from dataclasses import dataclass

from accounts.models import Organisation
from innovation import optimism
from innovation.models import BusinessCase, BusinessCaseOption, OptimismBiasMitigation, OptimismBiasOverride


@dataclass
class CaseAppraisal:
    options: list[optimism.OptionAppraisal]
    mitigations: list[OptimismBiasMitigation]

    @property
    def order_changed(self) -> bool:
        """Does the uplift change which option comes out best, or the order of the rest?"""
        return any(option.rank != option.adjusted_rank for option in self.options)

    @property
    def ranked(self) -> list[optimism.OptionAppraisal]:
        """Best net value after the uplift first; options not yet costed last, in their own order."""
        return sorted(self.options, key=lambda option: (option.adjusted_rank is None, option.adjusted_rank or 0))

    @property
    def best_adjusted(self) -> optimism.OptionAppraisal | None:
        return next((option for option in self.options if option.adjusted_rank == 1), None)


def optimism_overrides(*, organisation: Organisation) -> list[OptimismBiasOverride]:
    return list(OptimismBiasOverride.objects.for_organisation(organisation))


def business_case_appraisal(*, case: BusinessCase | None, options: list[BusinessCaseOption]) -> CaseAppraisal:
    """The options of `case` (in the order given) with their uplifts, adjusted figures and ranks."""
    if case is None:
        return CaseAppraisal(options=[], mitigations=[])
    mitigations = list(
        OptimismBiasMitigation.objects.for_organisation(case.organisation_id)
        .filter(business_case=case)
        .select_related("recorded_by")
    )
    return CaseAppraisal(
        options=optimism.appraise(
            options,
            mitigations={m.factor: m.share_mitigated for m in mitigations},
            overrides=optimism_overrides(organisation=case.organisation_id),
        ),
        mitigations=mitigations,
    )


def optimism_table(*, organisation: Organisation) -> list[tuple[optimism.Bounds, optimism.Bounds]]:
    """Per project type: the guidance's bounds and the ones this organisation uses."""
    used = optimism.bounds_table(optimism_overrides(organisation=organisation))
    return [(bounds, used[kind]) for kind, bounds in optimism.guidance_bounds().items()]


def optimism_override_history(*, organisation: Organisation) -> list:
    """Every change to the organisation's own uplift table, newest first: who, when and why."""
    return list(
        OptimismBiasOverride.history.filter(organisation=organisation)
        .select_related("set_by")
        .order_by("-history_date", "-history_id")
    )


def project_appraisal(*, project) -> tuple[BusinessCase | None, CaseAppraisal]:
    """A project's business case and its options appraisal, options in DESIGN.md's order."""
    case = BusinessCase.objects.filter(project=project).first()
    options = list(BusinessCaseOption.objects.filter(business_case=case)) if case else []
    options.sort(key=lambda option: BusinessCaseOption.Kind.values.index(option.kind))
    return case, business_case_appraisal(case=case, options=options)
