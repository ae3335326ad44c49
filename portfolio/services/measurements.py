"""Imports of actual values and aspirations: checked whole, then written by PostgreSQL's COPY
where it can (portfolio.pg_import) and in batches otherwise. Each import is a ValueSource (who,
when, why, which upload) that every value it sets carries; a value it changes keeps its previous
figure in a change row, and a new or unchanged value writes nothing more."""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from portfolio import imports, pg_import
from portfolio.models import ImportJob, ValueSource
from portfolio.services import gap_reports

WRITE_BATCH = 2000


class ImportChanged(Exception):
    """The data the file refers to changed between checking it and writing it."""


def _write(path: Path, *, organisation: Organisation | None, source: ValueSource) -> imports.Checked:
    """Writes every row of an already checked file; a changed value keeps its previous figure."""
    checked = imports.Checked()
    created = updated = 0
    batch: list[imports.Row] = []
    reader = imports.Reader(path, organisation=organisation)

    def flush():
        nonlocal created, updated
        model = checked.model
        existing = {
            (o.organisation_id, o.indicator_id, o.period_index): o
            for o in model.objects.filter(
                organisation_id__in={r.organisation_id for r in batch},
                indicator_id__in={r.indicator_id for r in batch},
                period_index__in={r.period_index for r in batch},
            )
        }
        now = timezone.now()
        new, changed, kept = [], [], []
        for r in batch:
            current = existing.get((r.organisation_id, r.indicator_id, r.period_index))
            if current is None:
                new.append(
                    model(
                        organisation_id=r.organisation_id,
                        indicator_id=r.indicator_id,
                        period=r.period,
                        period_index=r.period_index,
                        value=r.value,
                        updated_at=now,
                        source=source,
                    )
                )
            elif Decimal(current.value) != r.value:
                kept.append(
                    model.change_model(
                        figure=current,
                        previous_value=current.value,
                        previous_source_id=current.source_id,
                        previous_set_at=current.updated_at,
                        source=source,
                    )
                )
                current.value, current.updated_at, current.source = r.value, now, source
                changed.append(current)
        if new:
            model.objects.bulk_create(new, batch_size=1000)
        if changed:
            model.change_model.objects.bulk_create(kept, batch_size=1000)
            model.objects.bulk_update(changed, ["value", "updated_at", "source"], batch_size=1000)
        created += len(new)
        updated += len(changed)
        batch.clear()

    for row in reader.rows(checked):
        batch.append(row)
        if len(batch) >= WRITE_BATCH:
            flush()
    if batch:
        flush()
    if checked.error_count:
        raise ImportChanged
    checked.created, checked.updated = created, updated
    return checked


def _forget_if_unused(source: ValueSource, written: int) -> None:
    """An import that set no value (every figure already as the file has it) leaves no record."""
    if not written:
        source.delete()


def measurements_import(
    *,
    path: Path,
    organisation: Organisation | None,
    actor: User | None,
    reason: str,
    progress=None,
    job: ImportJob | None = None,
) -> imports.Checked:
    """Checks a file of actual values or aspirations whole and, only if every line is good,
    writes it all (replacing earlier values for the same periods). `organisation` None means
    an operator at the command line, who may load any organisation's figures. `progress`,
    if given, is called with the per cent done (checking is the first half). The values it sets
    carry a ValueSource of `actor`, `reason` and `job` (the upload, if any)."""
    reason = reason[:100]  # ValueSource.reason
    if pg_import.available(path):
        fast = _import_postgres(path, organisation=organisation, actor=actor, reason=reason, progress=progress, job=job)
        if fast is not None:
            return fast
    total = max(imports.estimate_rows(path), 1) if progress else 1

    def rows_read(count: int) -> None:
        progress(min(49, 1 + 48 * count // total))

    checked = imports.check(path, organisation=organisation, progress=rows_read if progress else None)
    if checked.error_count:
        return checked
    if progress:
        progress(50)
    with transaction.atomic():
        pg_import.lock_imports()
        source = ValueSource.objects.create(import_job=job, user=actor, reason=reason)
        written = _write(path, organisation=organisation, source=source)
        _forget_if_unused(source, written.created + written.updated)
        gap_reports.gap_report_job_after_import(organisation_ids=sorted(checked.organisation_ids), actor=actor)
    checked.created, checked.updated = written.created, written.updated
    return checked


def _import_postgres(path: Path, *, organisation, actor, reason: str, progress, job) -> imports.Checked | None:
    """The COPY-based import (portfolio.pg_import); None when the file needs the Python checker
    to explain what is wrong with it."""
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        model = imports.Reader.model_for(next(csv.reader(handle), []))
    if model is None:
        return None
    try:
        if not pg_import.stage(path, progress) or not pg_import.all_good(organisation):
            return None
        if progress:
            progress(50)
        with transaction.atomic():
            pg_import.lock_imports()
            source = ValueSource.objects.create(import_job=job, user=actor, reason=reason)
            created, updated, organisation_ids, rows = pg_import.write(model, source=source)
            _forget_if_unused(source, created + updated)
            gap_reports.gap_report_job_after_import(organisation_ids=sorted(organisation_ids), actor=actor)
    finally:
        pg_import.drop()
    return imports.Checked(
        model=model, row_count=rows, organisation_ids=set(organisation_ids), created=created, updated=updated
    )
