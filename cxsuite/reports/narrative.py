"""The consultant's own words in the report: an executive summary, commentary per stage and a
note per recommendation (``GET/PUT /projects/{id}/report-text``).

Plain text only: the report escapes it (autoescaping) and keeps paragraphs (a blank line starts
a new one; single line breaks are joined). Lengths are bounded so a note cannot swallow a page;
control characters other than line breaks and tabs are refused. Keys are stage keys and
recommendation ids, so the text survives re-scoring; text for a stage or recommendation a run
does not show is simply not printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

import msgspec

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.db.session import Database
from cxsuite.errors import FieldProblem, ValidationFailed
from cxsuite.scoring import project_inputs
from cxsuite.scoring.journey import current, project_for

SUMMARY_LIMIT = 4000
COMMENTARY_LIMIT = 2000
NOTE_LIMIT = 1000
MAX_NOTES = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ReportText(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Executive summary, commentary by stage key and notes by recommendation id."""

    executive_summary: str = ""
    stage_commentary: dict[str, str] = {}
    opportunity_notes: dict[str, str] = {}


class ReportTextOut(msgspec.Struct, kw_only=True):
    """The stored text with who last changed it and when."""

    text: ReportText
    updated_by: UUID | None = None
    updated_at: datetime | None = None


def paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs of plain text: split at blank lines, inner line breaks and runs of spaces joined."""
    return tuple(p for p in (" ".join(block.split()) for block in re.split(r"\n\s*\n", text.strip())) if p)


def check(stages: Iterable[str], recommendations: Iterable[str], data: ReportText) -> None:
    """Known keys, bounded lengths, no control characters; 422 naming each field and its limit."""
    problems: list[FieldProblem] = []
    _text(problems, "body.executive_summary", data.executive_summary, SUMMARY_LIMIT)
    for field, texts, keys, limit, what in (
            ("stage_commentary", data.stage_commentary, set(stages), COMMENTARY_LIMIT, "stage"),
            ("opportunity_notes", data.opportunity_notes, set(recommendations), NOTE_LIMIT,
             "recommendation")):
        if len(texts) > MAX_NOTES:
            problems.append(FieldProblem(f"body.{field}", "too many entries", MAX_NOTES))
        for key, text in sorted(texts.items())[:MAX_NOTES]:
            if key not in keys:
                problems.append(FieldProblem(f"body.{field}.{key}", f"no {what} {key!r}"))
            _text(problems, f"body.{field}.{key}", text, limit)
    if problems:
        raise ValidationFailed("the report text is not valid; see errors", problems=problems)


def _text(problems: list[FieldProblem], field: str, text: str, limit: int) -> None:
    if len(text) > limit:
        problems.append(FieldProblem(field, "too long", limit))
    if _CONTROL.search(text):
        problems.append(FieldProblem(field, "control characters are not allowed"))


async def stored(tenant_id: UUID, project_id: UUID) -> ReportText:
    """The project's report text (empty when never set), inside the caller's transaction."""
    return (await project_inputs.read(tenant_id, project_id, "narrative", ReportText, ReportText()))[0]


async def get_text(db: Database, principal: Principal, project_id: UUID) -> ReportTextOut:
    """The stored text (those who render reports may read it)."""
    async with db.transaction(principal.tenant_id, write=False):
        await project_for(principal, project_id, Action.REPORT_RENDER)
        text, meta = await project_inputs.read(principal.tenant_id, project_id, "narrative", ReportText,
                                               ReportText())
    return ReportTextOut(text=text, updated_by=meta.updated_by, updated_at=meta.updated_at)


async def put_text(db: Database, principal: Principal, project_id: UUID, data: ReportText) -> ReportTextOut:
    """Replace the text after :func:`check` against the current journey and its model."""
    journey = await current(db, principal, project_id, Action.REPORT_RENDER)
    check([s.key for s in journey.stages], [r.id for r in journey.model.recommendations], data)
    async with db.transaction(principal.tenant_id, principal.user_id):
        await project_for(principal, project_id, Action.REPORT_RENDER)
        meta = await project_inputs.write(principal.tenant_id, project_id, "narrative", data,
                                          principal.user_id)
    return ReportTextOut(text=data, updated_by=meta.updated_by, updated_at=meta.updated_at)
