"""The assessment questionnaire of a project: the model's items, answered per journey stage.

One current answer per (item, stage), with who gave it and when; a new answer replaces the
old one. A batch is checked whole before anything is written, so a typo in one item id leaves
every answer as it was and the 422 names the offending entries.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from cxsuite.errors import FieldProblem, ValidationFailed
from cxsuite.scoring.inputs import Answer
from cxsuite.scoring.journey import StoredJourney, current
from cxsuite.scoring.schema import QuestionnaireItem, applies_to
from cxsuite.scoring.schemas import AnswerIn, CurrentAnswer, QuestionnaireOut, QuestionOut
from cxsuite.scoring.tables import QuestionnaireAnswer

UPSERT = (
    "INSERT INTO questionnaire_answer (tenant_id, id, project_id, item_id, stage, answer, answered_by, "
    "answered_at) VALUES ({}, {}, {}, {}, {}, {}, {}, {}) ON CONFLICT (tenant_id, project_id, item_id, "
    "stage) DO UPDATE SET answer = EXCLUDED.answer, answered_by = EXCLUDED.answered_by, "
    "answered_at = EXCLUDED.answered_at")


async def stored_answers(tenant_id: UUID, project_id: UUID) -> list[dict[str, Any]]:
    """Every current answer of the project (inside the caller's transaction)."""
    return await QuestionnaireAnswer.select().where(
        (QuestionnaireAnswer.tenant_id == tenant_id) & (QuestionnaireAnswer.project_id == project_id)
    ).order_by(QuestionnaireAnswer.item_id).order_by(QuestionnaireAnswer.stage).run()


def answers_for_scoring(journey: StoredJourney, rows: list[dict[str, Any]]) -> list[Answer]:
    """Answers the engine accepts: items of the journey's model at stages of the journey."""
    items = {item.id: item for item in journey.model.questionnaire}
    stages = {stage.key for stage in journey.stages}
    return [Answer(item_id=r["item_id"], stage=r["stage"], answer=r["answer"],
                   answered_by=str(r["answered_by"]), answered_at=r["answered_at"])
            for r in rows if r["item_id"] in items and r["stage"] in stages
            and applies_to(items[r["item_id"]].stages, r["stage"])]


def _question(item: QuestionnaireItem, stages: list[str], rows: list[dict[str, Any]]) -> QuestionOut:
    asked = [stage for stage in stages if applies_to(item.stages, stage)]
    given = [CurrentAnswer(stage=r["stage"], answer=r["answer"], answered_by=r["answered_by"],
                           answered_at=r["answered_at"])
             for r in rows if r["item_id"] == item.id and r["stage"] in asked]
    given.sort(key=lambda a: asked.index(a.stage))
    return QuestionOut(item_id=item.id, dimension=item.dimension, wording=item.wording,
                       anchors=list(item.answers), dont_know_allowed=item.dont_know_allowed,
                       stages=asked, answers=given)


async def questionnaire(db: Database, principal: Principal, project_id: UUID,
                        action: Action = Action.PROJECT_READ) -> QuestionnaireOut:
    """The model's items for the project's current journey, with the current answers."""
    journey = await current(db, principal, project_id, action)
    async with db.transaction(principal.tenant_id, write=False):
        rows = await stored_answers(principal.tenant_id, project_id)
    stages = [stage.key for stage in journey.stages]
    return QuestionnaireOut(project_id=project_id, journey_version=journey.version,
                            model_version=journey.model.version,
                            items=[_question(item, stages, rows) for item in journey.model.questionnaire])


def check_answers(journey: StoredJourney, answers: list[AnswerIn]) -> None:
    """Every answer names a known item, a stage of the journey the item is asked for, and gives
    "don't know" only where the item allows it; otherwise 422 naming each bad entry."""
    items = {item.id: item for item in journey.model.questionnaire}
    stages = {stage.key for stage in journey.stages}
    problems = []
    for i, given in enumerate(answers):
        item = items.get(given.item_id)
        if item is None:
            problems.append(FieldProblem(f"body.answers[{i}].item_id",
                                         f"unknown questionnaire item {given.item_id!r}"))
        elif given.stage not in stages:
            problems.append(FieldProblem(f"body.answers[{i}].stage", f"stage {given.stage!r} is not "
                                         f"in the journey (version {journey.version})"))
        elif not applies_to(item.stages, given.stage):
            problems.append(FieldProblem(f"body.answers[{i}].stage",
                                         f"item {item.id!r} is not asked for stage {given.stage!r}"))
        elif given.answer is None and not item.dont_know_allowed:
            problems.append(FieldProblem(f"body.answers[{i}].answer",
                                         f"item {item.id!r} needs an answer 1..5"))
    if problems:
        raise ValidationFailed("some answers cannot be recorded; nothing was written", problems=problems)


async def record_answers(db: Database, principal: Principal, project_id: UUID,
                         answers: list[AnswerIn]) -> QuestionnaireOut:
    """Check and store a batch of answers as the caller's, now."""
    journey = await current(db, principal, project_id, Action.QUESTIONNAIRE_ANSWER)
    check_answers(journey, answers)
    now = datetime.now(UTC)
    async with db.transaction(principal.tenant_id, principal.user_id):
        for given in answers:
            await execute(db.engine, UPSERT, principal.tenant_id, uuid4(), project_id, given.item_id,
                          given.stage, given.answer, principal.user_id, now)
    return await questionnaire(db, principal, project_id, Action.QUESTIONNAIRE_ANSWER)
