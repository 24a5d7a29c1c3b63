"""Import reads: the rows a batch's file would leave out, to fix and import again."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kopdes.cleaners.text import is_blank
from kopdes.imports.models import ImportBatch
from kopdes.imports.plans import ERROR, make_plan
from kopdes.imports.policy import require_importer


def left_out_workbook(*, actor, batch: ImportBatch) -> tuple[list[str], list[list]]:
    """The rows of the batch's file refused by an error, to fix and import again: the sheet's own header and cells,
    then the original row number and every error of the row (headers, rows). The file is validated again, so the
    rows are those the preview shows now."""
    require_importer(actor, batch.cooperative)
    with batch.file.open("rb") as handle:
        data = handle.read()
    plan = make_plan(kind=batch.kind, data=data, name=batch.original_name, actor=actor, cooperative=batch.cooperative)
    errors: dict[int, list[str]] = {}
    for message in plan.messages:
        if message.level == ERROR and message.row is not None:
            errors.setdefault(message.row, []).append(message.text)
    table = plan.table
    if table is None:
        return [], []
    wanted = [row for number, row in table.rows if number in errors]
    width = max([*table.headers, *(len(row) - 1 for row in wanted)], default=-1) + 1
    headers = [table.headers.get(position, "") for position in range(width)]
    headers += [_("Original row"), _("Errors")]
    rows = []
    for number, row in table.rows:
        if number in errors:
            cells = [row[p] if p < len(row) and not is_blank(row[p]) else None for p in range(width)]
            rows.append([*cells, number, " · ".join(errors[number])])
    return headers, rows
