"""Imports of actual values and aspirations: checked whole, then written with their history,
by PostgreSQL's COPY where it can (portfolio.pg_import) and row by row otherwise."""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import Organisation, User
from portfolio import imports, pg_import
from portfolio.services import gap_reports

WRITE_BATCH = 2000


class ImportChanged(Exception):
    """The data the file refers to changed between checking it and writing it."""


def _write(path: Path, *, organisation: Organisation | None, actor: User | None, reason: str) -> imports.Checked:
    """Writes every row of an already checked file; new values and changed values keep history."""
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
        new, changed = [], []
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
                    )
                )
            elif Decimal(current.value) != r.value:
                current.value, current.updated_at = r.value, now
                changed.append(current)
        # Bulk writes skip simple-history's signals, so these helpers write the history rows too.
        if new:
            bulk_create_with_history(new, model, batch_size=1000, default_user=actor, default_change_reason=reason)
        if changed:
            fields = ["value", "updated_at"]
            bulk_update_with_history(
                changed, model, fields, batch_size=1000, default_user=actor, default_change_reason=reason
            )
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


def measurements_import(
    *, path: Path, organisation: Organisation | None, actor: User | None, reason: str, progress=None
) -> imports.Checked:
    """Checks a file of actual values or aspirations whole and, only if every line is good,
    writes it all (replacing earlier values for the same periods). `organisation` None means
    an operator at the command line, who may load any organisation's figures. `progress`,
    if given, is called with the per cent done (checking is the first half)."""
    reason = reason[:100]  # simple-history's change reason column
    if pg_import.available(path):
        fast = _import_postgres(path, organisation=organisation, actor=actor, reason=reason, progress=progress)
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
        written = _write(path, organisation=organisation, actor=actor, reason=reason)
        gap_reports.gap_report_job_after_import(organisation_ids=sorted(checked.organisation_ids), actor=actor)
    checked.created, checked.updated = written.created, written.updated
    return checked


def _import_postgres(path: Path, *, organisation, actor, reason: str, progress) -> imports.Checked | None:
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
            created, updated, organisation_ids, rows = pg_import.write(model, actor=actor, reason=reason)
            gap_reports.gap_report_job_after_import(organisation_ids=sorted(organisation_ids), actor=actor)
    finally:
        pg_import.drop()
    return imports.Checked(
        model=model, row_count=rows, organisation_ids=set(organisation_ids), created=created, updated=updated
    )
